# Reference values for tests/agreement, written out in base R 4.2.2 from the published formulas
# (no disfer code involved):
#  - Fleiss (1971) kappa; Fleiss, Nee & Landis (1979) null SE, z, two-sided p in log space
#    (pnorm(..., log.p = TRUE): R's 2*(1-pnorm(z)) gives 0 for Fleiss' data);
#    with unequal n_i the 1/(n(n-1)) factor is replaced by the mean of 1/(n_i(n_i-1)) (disfer's documented rule);
#  - Gwet (2014) / irrCAC fleiss.kappa.raw and gwet.ac1.raw: mean-of-item-proportions margins, linearised
#    non-null variance, t interval with N-1 df capped at 1; for pooled margins the same linearisation with
#    the pooled p_j and weights n_i / mean(n);
#  - Krippendorff (2011) nominal alpha from the coincidence matrix;
#  - Fleiss (1971) per-category kappas.
# Run: Rscript tests/agreement/reference/r_reference.R   (writes r_reference.csv and ferplus_reference.csv,
# name,value with 17 digits, beside this script)

script_arg <- grep("^--file=", commandArgs(FALSE), value = TRUE)
script_dir <- if (length(script_arg)) dirname(normalizePath(sub("^--file=", "", script_arg[1]))) else "."
load_table <- function(f) as.matrix(read.csv(file.path(script_dir, f)))
out <- list()
put <- function(name, v) out[[name]] <<- v

fleiss_all <- function(x, tag, margins = "pooled", single_in_margins = TRUE) {
  n <- rowSums(x)
  keep <- if (single_in_margins) n >= 1 else n >= 2
  x <- x[keep, , drop = FALSE]; n <- n[keep]
  two <- n >= 2
  Pi <- ifelse(two, rowSums(x * (x - 1)) / ifelse(two, n * (n - 1), 1), 0)
  Pbar <- mean(Pi[two])
  M <- nrow(x); N2 <- sum(two)
  p <- if (margins == "pooled") colSums(x) / sum(x) else colMeans(x / n)
  Pe <- sum(p^2); q <- 1 - p
  kappa <- (Pbar - Pe) / (1 - Pe)
  h <- mean(1 / (n[two] * (n[two] - 1)))
  A <- sum(p * q)
  var0 <- 2 * h / N2 * (A^2 - sum(p * q * (q - p))) / A^2
  se0 <- sqrt(var0); z <- kappa / se0
  log_p <- log(2) + pnorm(abs(z), lower.tail = FALSE, log.p = TRUE)
  w <- if (margins == "pooled") n / mean(n) else rep(1, M)
  kap_i <- (M / N2) * (Pi - Pe * two) / (1 - Pe)
  pe_i <- as.vector(x %*% p) / n
  kap_star <- kap_i - 2 * (1 - kappa) * w * (pe_i - Pe) / (1 - Pe)
  se <- sqrt(sum((kap_star - kappa)^2) / (M * (M - 1)))
  t <- qt(0.975, M - 1)
  put(paste0(tag, ".kappa"), kappa); put(paste0(tag, ".p_bar"), Pbar); put(paste0(tag, ".p_e"), Pe)
  put(paste0(tag, ".se0"), se0); put(paste0(tag, ".z"), z)
  put(paste0(tag, ".p_value"), exp(log_p)); put(paste0(tag, ".log10_p_value"), log_p / log(10))
  put(paste0(tag, ".se"), se); put(paste0(tag, ".ci_low"), kappa - t * se); put(paste0(tag, ".ci_high"), min(1, kappa + t * se))
}

ac1_all <- function(x, tag) {
  n <- rowSums(x); x <- x[n >= 1, , drop = FALSE]; n <- n[n >= 1]
  two <- n >= 2; q <- ncol(x); N <- nrow(x); N2 <- sum(two)
  Pi <- ifelse(two, rowSums(x * (x - 1)) / ifelse(two, n * (n - 1), 1), 0)
  pa <- mean(Pi[two]); pi <- colMeans(x / n)
  pe <- sum(pi * (1 - pi)) / (q - 1)
  ac1 <- (pa - pe) / (1 - pe)
  a_i <- (N / N2) * (Pi - pe * two) / (1 - pe)
  pe_i <- as.vector(x %*% (1 - pi)) / (n * (q - 1))
  a_star <- a_i - 2 * (1 - ac1) * (pe_i - pe) / (1 - pe)
  se <- sqrt(sum((a_star - ac1)^2) / (N * (N - 1)))
  t <- qt(0.975, N - 1)
  put(paste0(tag, ".ac1"), ac1); put(paste0(tag, ".p_e"), pe); put(paste0(tag, ".se"), se)
  put(paste0(tag, ".ci_low"), ac1 - t * se); put(paste0(tag, ".ci_high"), min(1, ac1 + t * se))
  put(paste0(tag, ".p_value"), 2 * pt(abs(ac1 / se), N - 1, lower.tail = FALSE))
  put(paste0(tag, ".log10_p_value"), (log(2) + pt(abs(ac1 / se), N - 1, lower.tail = FALSE, log.p = TRUE)) / log(10))
}

alpha_nominal <- function(x, tag) {
  m <- rowSums(x); x <- x[m >= 2, , drop = FALSE]; m <- m[m >= 2]
  # coincidence matrix o_ck = sum_u n_uc (n_uk - [c == k]) / (m_u - 1)
  q <- ncol(x); o <- matrix(0, q, q)
  for (u in seq_len(nrow(x))) o <- o + (outer(x[u, ], x[u, ]) - diag(x[u, ])) / (m[u] - 1)
  nc <- rowSums(o); n <- sum(nc)
  Do <- (n - sum(diag(o))) / n
  De <- (n^2 - sum(nc^2)) / (n * (n - 1))
  put(paste0(tag, ".alpha"), 1 - Do / De)
}

category <- function(x, tag) {
  n <- rowSums(x); x <- x[n >= 2, , drop = FALSE]; n <- n[n >= 2]
  p <- colSums(x) / sum(x)
  dis <- colMeans(x * (n - x) / (n * (n - 1)))
  k <- 1 - dis / (p * (1 - p))
  for (j in seq_along(k)) put(sprintf("%s.kappa_%d", tag, j - 1), k[j])
  put(paste0(tag, ".se0"), sqrt(2 * mean(1 / (n * (n - 1))) / nrow(x)))
}

raw4 <- matrix(c(3,0,0,0,0, 0,3,1,0,0, 0,0,4,0,0, 0,0,4,0,0, 0,4,0,0,0, 1,1,1,1,0, 0,0,0,4,0,
                 3,1,0,0,0, 0,4,0,0,0, 0,0,0,0,3, 2,0,0,0,0, 0,0,1,0,0), ncol = 5, byrow = TRUE)
# Fleiss (1971) Table 1 counts (the golden case fleiss1971_diagnoses).
fleiss71 <- matrix(c(0,0,0,6,0, 0,3,0,0,3, 0,1,4,0,1, 0,0,0,0,6, 0,3,0,3,0, 2,0,4,0,0, 0,0,4,0,2,
  2,0,3,1,0, 2,0,0,4,0, 0,0,0,0,6, 1,0,0,5,0, 1,1,0,4,0, 0,3,3,0,0, 1,0,0,5,0, 0,2,0,3,1, 0,0,5,0,1,
  3,0,0,1,2, 5,1,0,0,0, 0,2,0,4,0, 1,0,2,0,3, 0,0,0,0,6, 0,1,0,5,0, 0,2,0,1,3, 2,0,0,4,0, 1,0,0,4,1,
  0,5,0,1,0, 4,0,0,0,2, 0,2,0,4,0, 1,0,5,0,0, 0,0,0,0,6), ncol = 5, byrow = TRUE)
eq <- load_table("random_equal.csv"); uneq <- load_table("random_unequal.csv")

fleiss_all(fleiss71, "fleiss71.pooled"); fleiss_all(fleiss71, "fleiss71.mip", "mip")
fleiss_all(raw4, "raw4.mip", "mip"); fleiss_all(raw4, "raw4.pooled", "pooled")
fleiss_all(raw4, "raw4.pooled_pairable", "pooled", FALSE)
fleiss_all(eq, "random_equal.pooled")
fleiss_all(uneq, "random_unequal.pooled"); fleiss_all(uneq, "random_unequal.mip", "mip")
ac1_all(fleiss71, "fleiss71.ac1"); ac1_all(raw4, "raw4.ac1"); ac1_all(uneq, "random_unequal.ac1")
alpha_nominal(uneq, "random_unequal"); alpha_nominal(raw4, "raw4")
category(uneq, "random_unequal.category"); category(fleiss71, "fleiss71.category")

# Jackknife SE of kappa (delete one item) under both margin conventions: an independent check of the
# linearised non-null SE, in particular of disfer's pooled-margin weights w_i = n_i / mean(n).
very <- load_table("random_very_unequal.csv")
kappa_only <- function(x, mip) {
  n <- rowSums(x); Pi <- rowSums(x * (x - 1)) / (n * (n - 1))
  p <- if (mip) colMeans(x / n) else colSums(x) / sum(x)
  Pe <- sum(p^2); (mean(Pi) - Pe) / (1 - Pe)
}
for (mip in c(FALSE, TRUE)) {
  N <- nrow(very); jk <- sapply(seq_len(N), function(i) kappa_only(very[-i, ], mip))
  tag <- if (mip) "random_very_unequal.mip" else "random_very_unequal.pooled"
  put(paste0(tag, ".kappa"), kappa_only(very, mip))
  put(paste0(tag, ".se_jackknife"), sqrt((N - 1) / N * sum((jk - mean(jk))^2)))
}

con <- file(file.path(script_dir, "r_reference.csv"), "w")
writeLines("name,value", con)
for (nm in names(out)) writeLines(sprintf("%s,%.17g", nm, out[[nm]]), con)
close(con)

# The FER+ counts of the FER-2013 sample (tests/data/ferplus, MIT), restricted to the seven FER-2013
# emotions in FER-2013 order.
ferplus <- file.path(script_dir, "..", "..", "data", "ferplus", "ferplus-votes-sample.csv")
out <- list()
d <- read.csv(ferplus)
x <- as.matrix(d[, c("anger", "disgust", "fear", "happiness", "sadness", "surprise", "neutral")])
fleiss_all(x, "ferplus.pooled"); fleiss_all(x, "ferplus.mip", "mip"); ac1_all(x, "ferplus.ac1")
con <- file(file.path(script_dir, "ferplus_reference.csv"), "w")
writeLines("name,value", con)
for (nm in names(out)) writeLines(sprintf("%s,%.17g", nm, out[[nm]]), con)
close(con)
