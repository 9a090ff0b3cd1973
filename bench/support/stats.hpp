#pragma once
// Small helpers for the benchmarks: a stopwatch and median / percentiles of samples.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

namespace muster::bench {

using bench_clock = std::chrono::steady_clock;

inline double micros_since(bench_clock::time_point t0) {
    return std::chrono::duration<double, std::micro>(bench_clock::now() - t0).count();
}

struct Stats {
    double median = 0, p95 = 0, p99 = 0, min = 0, max = 0;
};

inline Stats stats(std::vector<double> v) {
    Stats s;
    if (v.empty()) return s;
    std::sort(v.begin(), v.end());
    auto at = [&](double q) { return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))]; };
    s.median = at(0.5);
    s.p95 = at(0.95);
    s.p99 = at(0.99);
    s.min = v.front();
    s.max = v.back();
    return s;
}

inline void print_row(const char* what, const Stats& s, const char* unit = "us") {
    std::printf("  %-44s median %9.1f %s   p95 %9.1f   p99 %9.1f   (min %.1f, max %.1f)\n", what, s.median, unit, s.p95,
                s.p99, s.min, s.max);
}

}  // namespace muster::bench
