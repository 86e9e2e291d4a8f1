// Google Benchmark: disfer's distortion kernels against OpenCV on the same inputs, single-threaded
// (salt-and-pepper against the usual construction from OpenCV's uniform RNG and masks), at
// 48x48, 256x256 and 1024x1024 uint8 at the DisFER levels; the whole DisFER stimulus set (84
// sources x 9 distortions); a batch of 10^4 48x48 images on 1 and 2 threads. After the runs it
// prints the disfer/OpenCV time ratios of the medians.
//   cmake --preset bench && cmake --build --preset bench --target bench_image
//   build/bench/benchmarks/bench_image --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <disfer/image.hpp>

#include <benchmark/benchmark.h>

#ifdef DISFER_BENCH_HAVE_OPENCV
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#endif

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace {

const double blur_sigmas[] = {0.8, 1.1, 1.4};
const double noise_sigmas[] = {10, 20, 30};
const double sp_amounts[] = {0.02, 0.04, 0.06};

xt::xtensor<std::uint8_t, 2> texture(std::size_t h, std::size_t w, std::uint64_t item) {
  auto img = xt::xtensor<std::uint8_t, 2>::from_shape({h, w});
  const disfer::philox_stream s(disfer::stream_key{7, item, disfer::purpose::user + 9});
  for (std::size_t i = 0; i < img.size(); ++i)
    img.data()[i] = static_cast<std::uint8_t>(s.word(i / 4) >> (8 * (i % 4)));
  return img;
}

void set_pixels(benchmark::State& state, std::size_t n, std::size_t images = 1) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * static_cast<std::int64_t>(images)));
  state.counters["ns_per_px"] =
      benchmark::Counter(static_cast<double>(n * images) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void disfer_blur(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const double sigma = blur_sigmas[state.range(1)];
  const auto img = texture(n, n, 1);
  for (auto _ : state) benchmark::DoNotOptimize(disfer::gaussian_blur(img, sigma));
  set_pixels(state, n * n);
}

// gaussian_noise or salt_and_pepper through apply (same code path as the kernels), a fresh
// image id per iteration.
void disfer_random(benchmark::State& state, disfer::distortion_kind kind, const double* levels) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const disfer::distortion d{kind, levels[state.range(1)]};
  const auto img = texture(n, n, 1);
  std::uint64_t id = 0;
  for (auto _ : state) benchmark::DoNotOptimize(disfer::apply(d, img, disfer::stream_key{1, id++}));
  set_pixels(state, n * n);
}

void disfer_noise(benchmark::State& state) {
  disfer_random(state, disfer::distortion_kind::gaussian_noise, noise_sigmas);
}

void disfer_salt_and_pepper(benchmark::State& state) {
  disfer_random(state, disfer::distortion_kind::salt_and_pepper, sp_amounts);
}

// The DisFER stimulus set: 84 sources x the 9 distortions (original excluded) = 756 images.
void disfer_stimulus_set(benchmark::State& state) {
  std::vector<xt::xtensor<std::uint8_t, 2>> sources;
  for (std::uint64_t i = 0; i < 84; ++i) sources.push_back(texture(48, 48, 100 + i));
  auto conditions = disfer::disfer_conditions();
  conditions.erase(conditions.begin());
  for (auto _ : state)
    for (std::uint64_t i = 0; i < 84; ++i)
      for (const auto& c : conditions)
        benchmark::DoNotOptimize(disfer::apply(c, sources[i], disfer::stream_key{2022, i}));
  set_pixels(state, 48 * 48, 756);
}

// 10^4 48x48 images through apply_batch, cycling through the 9 distortions, on 1 or 2 threads.
void disfer_batch(benchmark::State& state) {
  std::vector<xt::xtensor<std::uint8_t, 2>> images;
  std::vector<std::uint64_t> ids;
  std::vector<disfer::distortion> ds;
  auto conditions = disfer::disfer_conditions();
  for (std::uint64_t i = 0; i < 10000; ++i) {
    images.push_back(texture(48, 48, i % 97));
    ids.push_back(i);
    ds.push_back(conditions[1 + i % 9]);
  }
  const auto threads = static_cast<unsigned>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(disfer::apply_batch(ds, images, ids, 2022, {threads}));
  set_pixels(state, 48 * 48, 10000);
}

#ifdef DISFER_BENCH_HAVE_OPENCV
cv::Mat to_mat(const xt::xtensor<std::uint8_t, 2>& img) {
  cv::Mat m(static_cast<int>(img.shape()[0]), static_cast<int>(img.shape()[1]), CV_8UC1);
  std::copy(img.data(), img.data() + img.size(), m.data);
  return m;
}

void opencv_blur(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const double sigma = blur_sigmas[state.range(1)];
  const cv::Mat src = to_mat(texture(n, n, 1));
  for (auto _ : state) {
    cv::Mat dst;
    cv::GaussianBlur(src, dst, cv::Size(0, 0), sigma);
    benchmark::DoNotOptimize(dst.data);
  }
  set_pixels(state, n * n);
}

// cv::randn into a float image, then cv::add with saturation to 8U (round to nearest).
void opencv_noise(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const double sigma = noise_sigmas[state.range(1)];
  const cv::Mat src = to_mat(texture(n, n, 1));
  cv::RNG rng(12345);
  for (auto _ : state) {
    cv::Mat noise(src.size(), CV_32F), dst;
    rng.fill(noise, cv::RNG::NORMAL, 0.0, sigma);
    cv::add(src, noise, dst, cv::noArray(), CV_8U);
    benchmark::DoNotOptimize(dst.data);
  }
  set_pixels(state, n * n);
}

// OpenCV has no salt-and-pepper primitive; the usual construction from its parts: one uniform
// float per pixel (cv::RNG::fill), then two masks set to 255 (u < p/2) and 0 (p/2 <= u < p).
void opencv_salt_and_pepper(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const double p = sp_amounts[state.range(1)];
  const cv::Mat src = to_mat(texture(n, n, 1));
  cv::RNG rng(12345);
  for (auto _ : state) {
    cv::Mat u(src.size(), CV_32F);
    rng.fill(u, cv::RNG::UNIFORM, 0.0, 1.0);
    cv::Mat dst = src.clone();
    dst.setTo(255, u < p / 2);
    dst.setTo(0, (u >= p / 2) & (u < p));
    benchmark::DoNotOptimize(dst.data);
  }
  set_pixels(state, n * n);
}
#endif

void sizes(benchmark::internal::Benchmark* b) {
  for (long n : {48, 256, 1024})
    for (long l = 0; l < 3; ++l) b->Args({n, l});
}

// Collects the median (or single) real times to print disfer/OpenCV ratios at the end.
class ratio_reporter : public benchmark::ConsoleReporter {
 public:
  std::map<std::string, double> times;
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const auto& r : runs)
      if (r.aggregate_name.empty() || r.aggregate_name == "median") times[r.run_name.str()] = r.GetAdjustedCPUTime();
    ConsoleReporter::ReportRuns(runs);
  }
};

}  // namespace

BENCHMARK(disfer_blur)->Apply(sizes);
BENCHMARK(disfer_noise)->Apply(sizes);
BENCHMARK(disfer_salt_and_pepper)->Apply(sizes);
#ifdef DISFER_BENCH_HAVE_OPENCV
BENCHMARK(opencv_blur)->Apply(sizes);
BENCHMARK(opencv_noise)->Apply(sizes);
BENCHMARK(opencv_salt_and_pepper)->Apply(sizes);
#endif
BENCHMARK(disfer_stimulus_set)->Unit(benchmark::kMillisecond);
BENCHMARK(disfer_batch)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

int main(int argc, char** argv) {
#ifdef DISFER_BENCH_HAVE_OPENCV
  cv::setNumThreads(1);
#endif
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  ratio_reporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  std::printf("\ndisfer / OpenCV time ratio (median CPU time; < 1 means disfer is faster)\n");
  for (const auto& [name, t] : reporter.times) {
    for (const char* kind : {"blur", "noise", "salt_and_pepper"}) {
      const std::string prefix = std::string("disfer_") + kind + "/";
      if (name.rfind(prefix, 0) != 0) continue;
      const std::string other = std::string("opencv_") + kind + "/" + name.substr(prefix.size());
      const auto it = reporter.times.find(other);
      if (it != reporter.times.end())
        std::printf("  %-26s %.3f  (disfer %.4g us, OpenCV %.4g us)\n", name.c_str(), t / it->second, t / 1e3,
                    it->second / 1e3);
    }
  }
  return 0;
}
