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
#  - each network vs crowd, and each pair of networks: exact McNemar (two-sided binomial, R's binom.test rule) on the untied items;
#    Pearson r over the off-diagonal cells of the row-normalised confusion matrices (cor.test).
# Run: Rscript tests/report/reference/ferplus_reference.R [--ferplus F --fer2013 F --network F|none --out F]
# Defaults: the committed synthetic files tests/data/ferplus/fer2013new-synthetic.csv,
# tests/data/fer2013-small.csv and tests/data/ferplus/fer2013-small-network.csv, writing
# ferplus_section_synthetic.csv beside this script (name,value with 17 digits), and with
# tests/data/ferplus/fer2013-small-networks.csv (two networks) ferplus_section_synthetic_two.csv.
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

# Networks: the file's columns `network` or `label` (one network, unprefixed keys) or
# `network/<key>` (one per network, keys `<key>/...`; every pair a < b in column order as
# `<a>_vs_<b>/...`: McNemar with a right and b wrong = b, the correlation of their matrices).
offdiag_cor <- function(ma, mb) {
  off <- row(ma) != col(ma)
  ct <- cor.test((ma / rowSums(ma))[off], (mb / rowSums(mb))[off])
  c(unname(ct$estimate), ct$p.value)
}
mcnemar_exact <- function(a_right, b_right) {
  b <- sum(a_right & !b_right); c <- sum(!a_right & b_right)
  # binom.test's p = min(1, 2 P(X <= min(b, c))) is exactly 1 when |b - c| <= 1 (log 2 + log 0.5 is not 0 in floating point)
  lp <- if (abs(b - c) <= 1) 0 else min(0, log(2) + pbinom(min(b, c), b + c, 0.5, log.p = TRUE))
  c(b, c, lp / log(10))
}
finish <- function(network_path, out_path) {
  networks <- list()
  if (network_path != "none") {
    nw <- read.csv(network_path, colClasses = "character", check.names = FALSE)
    cols <- grep("^network(/.+)?$", names(nw), value = TRUE)  # else `label` (the committed network file)
    if (!length(cols)) cols <- "label"
    stopifnot(all(cols %in% names(nw)), length(cols) == 1 || all(startsWith(cols, "network/")))
    for (cn in cols) {
      net <- match(nw[[cn]], emotions)[match(r, as.integer(nw$fer2013_row))] - 1
      stopifnot(!any(is.na(net)))
      key <- if (startsWith(cn, "network/")) sub("^network/", "", cn) else ""
      networks[[length(networks) + 1]] <- list(key = key, labels = net[u])
    }
  }
  for (nt in networks) {
    p <- if (nt$key == "") "" else paste0(nt$key, "/")
    net <- nt$labels
    put(paste0(p, "network_correct"), sum(net == truth[u]))
    put(paste0(p, "network_accuracy"), mean(net == truth[u]))
    mc <- mcnemar_exact(majority[u] == truth[u], net == truth[u])
    put(paste0(p, "mcnemar_b"), mc[1]); put(paste0(p, "mcnemar_c"), mc[2]); put(paste0(p, "mcnemar_log10_p"), mc[3])
    ec <- offdiag_cor(crowd, cm(truth[u], net))
    put(paste0(p, "error_correlation_r"), ec[1]); put(paste0(p, "error_correlation_p"), ec[2])
  }
  if (length(networks) >= 2) for (i in 1:(length(networks) - 1)) for (j in (i + 1):length(networks)) {
    a <- networks[[i]]; b <- networks[[j]]
    p <- paste0(a$key, "_vs_", b$key, "/")
    mc <- mcnemar_exact(a$labels == truth[u], b$labels == truth[u])
    put(paste0(p, "mcnemar_b"), mc[1]); put(paste0(p, "mcnemar_c"), mc[2]); put(paste0(p, "mcnemar_log10_p"), mc[3])
    ec <- offdiag_cor(cm(truth[u], a$labels), cm(truth[u], b$labels))
    put(paste0(p, "error_correlation_r"), ec[1]); put(paste0(p, "error_correlation_p"), ec[2])
  }
  con <- file(out_path, "w")
  writeLines("name,value", con)
  for (nm in names(out)) writeLines(sprintf("%s,%.17g", nm, out[[nm]]), con)
  close(con)
}
base <- out
finish(network_path, out_path)
if (is.na(match("--network", args)) && is.na(match("--out", args))) {
  # The defaults also give the two-network reference (tests/report/test_ferplus_section.cpp).
  out <- base
  finish(file.path(data_dir, "ferplus", "fer2013-small-networks.csv"),
         file.path(script_dir, "ferplus_section_synthetic_two.csv"))
}
