#!/usr/bin/env bash
# One-time conversion of the Finnish pines point pattern (126 Scots pine saplings, window
# x ∈ [-5, 5], y ∈ [-8, 2] metres) from Debian's r-cran-spatstat.data into
# inputs/data/finpines.csv, rescaled to the unit square as in Møller et al. (1998) and the
# LGCP targets of annealed_flow_transport / Heng et al.: u = (x + 5)/10, v = (y + 8)/10.
# Needs Rscript (r-base-core) and r-cran-spatstat.data; boltzflow itself never runs R.
#   apt-get install -y --no-install-recommends r-base-core r-cran-spatstat.data
#   bash tools/convert-finpines.sh [OUT]
set -euo pipefail
out=${1:-"$(dirname "$0")/../inputs/data/finpines.csv"}
tmp="$out.tmp.$$"
Rscript --vanilla - "$tmp" <<'R'
suppressMessages(library(spatstat.data))
data(finpines)
w <- finpines$window
stopifnot(finpines$n == 126, identical(as.numeric(w$xrange), c(-5, 5)), identical(as.numeric(w$yrange), c(-8, 2)))
u <- (finpines$x - w$xrange[1]) / diff(w$xrange)
v <- (finpines$y - w$yrange[1]) / diff(w$yrange)
stopifnot(all(u >= 0 & u <= 1 & v >= 0 & v <= 1))
out <- commandArgs(trailingOnly = TRUE)[1]
con <- file(out, "w")
writeLines("u,v", con)
writeLines(sprintf("%.9g,%.9g", u, v), con)
close(con)
R
mv "$tmp" "$out"
echo "wrote $out ($(($(wc -l < "$out") - 1)) points)"
