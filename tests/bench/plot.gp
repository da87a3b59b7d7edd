# Copyright (c) 2026 The xtoken developers
# SPDX-License-Identifier: MIT
#
# The end-to-end figures of make bench as one picture: throughput and
# latency per stack.  Called by tests/bench/run with
#   gnuplot -e "datafile='http.dat'; outfile='bench.png'" plot.gp

set terminal pngcairo size 1280,600 font "sans,10"
set bmargin 7
set output outfile
set multiplot layout 1,2 title "xtoken make bench: GET /users over HTTP on 127.0.0.1 (medians)"

set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set grid ytics
set xtics rotate by -30 scale 0
set key top right
set yrange [0:*]
set offsets 0, 0, graph 0.1, 0

set title "Throughput"
set ylabel "requests per second"
plot datafile using 2:xtic(1) title "req/s" linecolor rgb "#3a7bd5"

set title "Latency"
set ylabel "milliseconds"
plot datafile using 3:xtic(1) title "p50" linecolor rgb "#5cb85c", \
     "" using 4 title "p99" linecolor rgb "#d9534f"

unset multiplot
