# Wall time of each variant relative to clang -O2, one group of bars per workload.
# usage: gnuplot -e "datafile='plot.dat'; outfile='x.svg'; ncols=6" plot.gp  (or x.png)
# plot.dat: a header row of quoted variant names, then "workload" ratio ratio ...
if (outfile[strlen(outfile)-2:] eq "png") {
  set terminal pngcairo size 1150,480 font "sans,10" background rgb "white"
} else {
  set terminal svg size 1150,480 dynamic font "sans,11" background rgb "white"
}
set output outfile
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set key outside right top vertical autotitle columnheader
set ylabel "wall time / clang -O2 (median)"
set logscale y 2
set yrange [0.25<*<0.9:*]
set grid ytics
set xtics rotate by -30 left nomirror
set ytics (0.5, 0.75, 1, 1.25, 1.5, 2, 3, 4, 6, 8, 16, 32, 64, 128)
set title "Real programs: time relative to clang -O2 (lower is better)"
set arrow from graph 0, first 1 to graph 1, first 1 nohead dashtype 2 lc rgb "black"
plot for [i=2:ncols] datafile using i:xtic(1) lc (i-1)
