# Independent reference for the FER+ section (include/disfer/report/ferplus_section.hpp), in base R
# from the published formulas, reading the files itself (no disfer code):
#  - FER+'s fer2013new.csv (Barsoum et al. 2016): rows with an empty `Image name` dropped and
#    counted; fer%07d.png -> 0-based data row of fer2013.csv; the 7 FER-2013 emotions by column name;
#  - items: PublicTest and PrivateTest images with at least one emotion vote that fer2013.csv has;
#  - Fleiss' kappa with unequal n_i (Fleiss 1971; Gwet 2014, ch. 5): P_i over items with n_i >= 2;
#    items with n_i = 1 in the margins (irrCAC's rule); pooled p_j (Fleiss) or mean of per-item
#    proportions (Gwet); the non-null SE by Gwet's linearisation, as tests/agreement/reference/r_reference.R;
#  - P_i counts (> 0.9, > 0.5, < 0.3) over items with n_i >= 2;
#  - majority vote, ties abstain (left out); accuracy vs FER-2013's labels; precision/recall per class
#    (NaN on an empty column; macro = mean over the non-NaN, scikit-learn's rule);
#  - network vs crowd: exact McNemar (two-sided binomial, R's binom.test rule) on the untied items;
#    Pearson r over the off-diagonal cells of the row-normalised confusion matrices (cor.test).
# Run: Rscript tests/report/reference/ferplus_reference.R [--ferplus F --fer2013 F --network F|none --out F]
# Defaults: the committed synthetic files tests/data/ferplus/fer2013new-synthetic.csv,
# tests/data/fer2013-small.csv and tests/data/ferplus/fer2013-small-network.csv, writing
# ferplus_section_synthetic.csv beside this script (name,value with 17 digits).
# The network file has columns fer2013_row and network (reproduce_disfer's ferplus_items.csv) or label.

script_arg <- grep("^--file=", commandArgs(FALSE), value = TRUE)
script_dir <- if (length(script_arg)) dirname(normalizePath(sub("^--file=", "", script_arg[1]))) else "."
args <- commandArgs(TRUE)
opt <- function(name, default) {
  i <- match(name, args)
  if (is.na(i)) default else args[i + 1]
}
data_dir <- file.path(script_dir, "..", "..", "data")
ferplus_path <- opt("--ferplus", file.path(data_dir, "ferplus", "fer2013new-synthetic.csv"))
fer2013_path <- opt("--fer2013", file.path(data_dir, "fer2013-small.csv"))
network_path <- opt("--network", file.path(data_dir, "ferplus", "fer2013-small-network.csv"))
out_path <- opt("--out", file.path(script_dir, "ferplus_section_synthetic.csv"))

emotions <- c("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")  # FER-2013 order
ferplus_cols <- c("anger", "disgust", "fear", "happiness", "sadness", "surprise", "neutral")

fp <- read.csv(ferplus_path, check.names = FALSE, colClasses = "character")
no_face <- fp[["Image name"]] == ""
fp <- fp[!no_face, ]
stopifnot(all(grepl("^fer[0-9]{7}\\.png$", fp[["Image name"]])))
row <- as.integer(substr(fp[["Image name"]], 4, 10))
x <- sapply(ferplus_cols, function(c) as.integer(fp[[c]]))
x <- matrix(x, ncol = 7)
other <- matrix(sapply(c("contempt", "unknown", "NF"), function(c) as.integer(fp[[c]])), ncol = 3)
fer <- read.csv(fer2013_path, colClasses = c("integer", "character", "character"))
test <- fp$Usage %in% c("PublicTest", "PrivateTest")
has_emotion <- rowSums(x) > 0
in_fer <- row < nrow(fer)
keep <- test & has_emotion & in_fer
out <- list()
put <- function(name, v) out[[name]] <<- v
put("items", sum(keep))
put("emotion_votes", sum(x[keep, ]))
put("contempt_votes", sum(other[keep, 1])); put("unknown_votes", sum(other[keep, 2])); put("nf_votes", sum(other[keep, 3]))
put("no_emotion_images", sum(test & !has_emotion))
put("not_in_fer2013", sum(test & has_emotion & !in_fer))
put("no_face_rows", sum(no_face))
x <- x[keep, , drop = FALSE]; r <- row[keep]
truth <- fer$emotion[r + 1]
stopifnot(all(fer$Usage[r + 1] == fp$Usage[keep]))
n <- rowSums(x)
put("single_vote_items", sum(n == 1))

fleiss <- function(x, tag, margins) {
  n <- rowSums(x)
  two <- n >= 2
  Pi <- ifelse(two, rowSums(x * (x - 1)) / ifelse(two, n * (n - 1), 1), 0)
  Pbar <- mean(Pi[two])
  M <- nrow(x); N2 <- sum(two)
  p <- if (margins == "pooled") colSums(x) / sum(x) else colMeans(x / n)
  Pe <- sum(p^2)
  kappa <- (Pbar - Pe) / (1 - Pe)
  w <- if (margins == "pooled") n / mean(n) else rep(1, M)
  kap_i <- (M / N2) * (Pi - Pe * two) / (1 - Pe)
  pe_i <- as.vector(x %*% p) / n
  kap_star <- kap_i - 2 * (1 - kappa) * w * (pe_i - Pe) / (1 - Pe)
  put(tag, kappa)
  put(paste0(tag, "_se"), sqrt(sum((kap_star - kappa)^2) / (M * (M - 1))))
}
fleiss(x, "kappa_pooled", "pooled")
fleiss(x, "kappa_mean_item_proportions", "mip")
two <- n >= 2
Pi <- rowSums(x * (x - 1))[two] / (n[two] * (n[two] - 1))
put("p_i_items", length(Pi))
put("p_i_above_0.9", sum(Pi > 0.9)); put("p_i_above_0.5", sum(Pi > 0.5)); put("p_i_below_0.3", sum(Pi < 0.3))
put("p_i_above_0.9_fraction", sum(Pi > 0.9) / length(Pi))
put("p_i_above_0.5_fraction", sum(Pi > 0.5) / length(Pi))
put("p_i_below_0.3_fraction", sum(Pi < 0.3) / length(Pi))
put("p_i_mean", mean(Pi))

top <- apply(x, 1, max)
tied <- rowSums(x == top) > 1
majority <- ifelse(tied, NA, max.col(x == top, ties.method = "first") - 1)
put("tied_majority", sum(tied))
u <- !tied
put("majority_items", sum(u))
put("majority_correct", sum(majority[u] == truth[u]))
put("majority_accuracy", mean(majority[u] == truth[u]))
cm <- function(t, p) table(factor(t, levels = 0:6), factor(p, levels = 0:6))
crowd <- cm(truth[u], majority[u])
prec <- ifelse(colSums(crowd) > 0, diag(crowd) / colSums(crowd), NaN)
rec <- ifelse(rowSums(crowd) > 0, diag(crowd) / rowSums(crowd), NaN)
for (c in 1:7) {
  put(paste0("precision/", emotions[c]), prec[c])
  put(paste0("recall/", emotions[c]), rec[c])
}
put("precision_macro", mean(prec, na.rm = TRUE)); put("recall_macro", mean(rec, na.rm = TRUE))

if (network_path != "none") {
  nw <- read.csv(network_path, colClasses = "character")
  col <- if ("network" %in% names(nw)) nw$network else nw$label
  net <- match(col, emotions)[match(r, as.integer(nw$fer2013_row))] - 1
  stopifnot(!any(is.na(net)))
  net <- net[u]
  put("network_correct", sum(net == truth[u]))
  put("network_accuracy", mean(net == truth[u]))
  a_right <- majority[u] == truth[u]; b_right <- net == truth[u]
  b <- sum(a_right & !b_right); c <- sum(!a_right & b_right)
  put("mcnemar_b", b); put("mcnemar_c", c)
  log_p <- min(0, log(2) + pbinom(min(b, c), b + c, 0.5, log.p = TRUE))
  put("mcnemar_log10_p", log_p / log(10))
  netcm <- cm(truth[u], net)
  off <- row(crowd) != col(crowd)
  ra <- (crowd / rowSums(crowd))[off]; rb <- (netcm / rowSums(netcm))[off]
  ct <- cor.test(ra, rb)
  put("error_correlation_r", unname(ct$estimate)); put("error_correlation_p", ct$p.value)
}
con <- file(out_path, "w")
writeLines("name,value", con)
for (nm in names(out)) writeLines(sprintf("%s,%.17g", nm, out[[nm]]), con)
close(con)
