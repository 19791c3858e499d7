# Shared by the Annealing Flow benchmarks (scaling.sh, microbatch.sh); source it.
# af_bench_deck FILE D WIDTH DEPTH ITERS: one AF block on ManyWell-D, no annealing, ITERS
# iterations, exact divergence, no trajectories, metrics off (particles, batch and samples are
# given on the command line of each run).
af_bench_deck() {
  cat > "$1" <<EOD
[run]
method = annealing_flow
quiet = true
[target]
name = manywell
dim = $2
[annealing_flow]
blocks = 1
anneal_blocks = 1
iterations = $5
trajectories = 0
width = $3
depth = $4
print_every = 0
[metrics]
enabled = false
[output]
xdmf = false
EOD
}
