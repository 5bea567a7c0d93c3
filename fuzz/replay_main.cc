// Runs a fuzz target without libFuzzer, for compilers that have none (GCC)
// and for ctest: first every file of the seed corpus, then a fixed number of
// inputs derived from them by random mutations (byte flips, insertions,
// deletions, repeats, splices) drawn from a fixed seed. A run is the same on
// every machine, so a failure reproduces by running the test again, and the
// input that failed is saved next to the test.
//
// Without coverage feedback this finds less than libFuzzer does (`make fuzz`
// runs the real thing); its job is to keep every build, the sanitizer ones
// included, exercising the parsers on malformed input.
//
// Usage: <target> CORPUS_DIR_OR_FILE... [-runs=N] [-seed=N]
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

// Present in sanitizer runtimes only: lets the driver save the failing input
// when ASan or UBSan ends the process, which it does without a signal.
extern "C" void __sanitizer_set_death_callback(void (*callback)()) __attribute__((weak));

namespace {

using Input = std::vector<uint8_t>;

// Inputs grow up to here: above the largest limit a parser enforces
// (8192 bytes of baggage), so mutations can cross every limit.
constexpr size_t kMaxInputSize = 12000;
constexpr uint64_t kDefaultRuns = 20000;
// Mutants kept to mutate again, so changes compound over a run.
constexpr size_t kPoolSize = 512;

// Bytes the header grammars give meaning to, tried more often than chance
// would: separators, hex digits of both cases, whitespace, and bytes that
// are not ASCII or not UTF-8.
constexpr char kInteresting[] =
    "-,=;:%@*/_. \t\n0123456789abcdefABCDEFxXdz\x00\x7f\x80\xbf\xc3\xef\xff";
constexpr std::string_view kInterestingBytes(kInteresting, sizeof(kInteresting) - 1);

// SplitMix64: tiny, and unlike the <random> distributions it produces the
// same numbers with every standard library.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform enough in [0, n) for n far below 2^64; n must be > 0.
  size_t Below(size_t n) { return static_cast<size_t>(Next() % n); }
  bool OneIn(size_t n) { return Below(n) == 0; }

 private:
  uint64_t state_;
};

// What the crash handlers report; prepared before each input runs because
// a signal handler may only write, not format.
struct Current {
  const Input* input = nullptr;
  char label[128] = {};
  char path[4096] = {};
};
Current current;

void WriteAll(int fd, const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = write(fd, p, size);
    if (n <= 0) return;
    p += n;
    size -= static_cast<size_t>(n);
  }
}

void SaveCurrentInput() {
  if (current.input == nullptr) return;
  static constexpr char kPrefix[] = "\nreplay: failed on ";
  WriteAll(STDERR_FILENO, kPrefix, sizeof(kPrefix) - 1);
  WriteAll(STDERR_FILENO, current.label, strlen(current.label));
  const int fd = open(current.path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    WriteAll(fd, current.input->data(), current.input->size());
    close(fd);
    static constexpr char kSaved[] = "; input saved to ";
    WriteAll(STDERR_FILENO, kSaved, sizeof(kSaved) - 1);
    WriteAll(STDERR_FILENO, current.path, strlen(current.path));
  }
  WriteAll(STDERR_FILENO, "\n", 1);
  current.input = nullptr;  // once, even if saving itself faults
}

void OnFatalSignal(int signal) {
  SaveCurrentInput();
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

void InstallCrashHandlers(const char* program) {
  std::snprintf(current.path, sizeof(current.path), "%s/crash-%s",
                std::filesystem::current_path().c_str(),
                std::filesystem::path(program).filename().c_str());
  for (int s : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) std::signal(s, OnFatalSignal);
  if (__sanitizer_set_death_callback != nullptr) __sanitizer_set_death_callback(SaveCurrentInput);
}

void Run(const Input& input) {
  current.input = &input;
  // An exact-size copy, so that a read one byte past the end is a
  // sanitizer error rather than a read of spare capacity.
  const std::unique_ptr<uint8_t[]> copy(new uint8_t[input.size() + (input.empty() ? 1 : 0)]);
  std::copy(input.begin(), input.end(), copy.get());
  LLVMFuzzerTestOneInput(copy.get(), input.size());
  current.input = nullptr;
}

void Mutate(Input& data, const std::vector<Input>& others, Rng& rng) {
  const auto random_byte = [&] {
    return rng.OneIn(2)
               ? static_cast<uint8_t>(kInterestingBytes[rng.Below(kInterestingBytes.size())])
               : static_cast<uint8_t>(rng.Next());
  };
  const Input& other = others[rng.Below(others.size())];
  switch (rng.Below(9)) {
    case 0:  // flip one bit
      if (!data.empty()) data[rng.Below(data.size())] ^= static_cast<uint8_t>(1u << rng.Below(8));
      break;
    case 1:  // overwrite one byte
      if (!data.empty()) data[rng.Below(data.size())] = random_byte();
      break;
    case 2:  // insert one byte
      data.insert(data.begin() + static_cast<ptrdiff_t>(rng.Below(data.size() + 1)), random_byte());
      break;
    case 3: {  // delete a short range
      if (data.empty()) break;
      const size_t at = rng.Below(data.size());
      const size_t n = 1 + rng.Below(std::min<size_t>(8, data.size() - at));
      data.erase(data.begin() + static_cast<ptrdiff_t>(at),
                 data.begin() + static_cast<ptrdiff_t>(at + n));
      break;
    }
    case 4:  // cut the tail
      data.resize(rng.Below(data.size() + 1));
      break;
    case 5: {  // repeat a range, up to hundreds of times: crosses count and size limits
      if (data.empty()) break;
      const size_t at = rng.Below(data.size());
      const size_t n = 1 + rng.Below(std::min<size_t>(64, data.size() - at));
      const Input chunk(data.begin() + static_cast<ptrdiff_t>(at),
                        data.begin() + static_cast<ptrdiff_t>(at + n));
      const size_t times = rng.OneIn(4) ? 1 + rng.Below(400) : 1 + rng.Below(4);
      for (size_t i = 0; i < times; ++i) {
        data.insert(data.begin() + static_cast<ptrdiff_t>(at), chunk.begin(), chunk.end());
      }
      break;
    }
    case 6: {  // splice: our head, another input's tail
      const size_t head = rng.Below(data.size() + 1);
      const size_t tail = rng.Below(other.size() + 1);
      data.resize(head);
      data.insert(data.end(), other.begin() + static_cast<ptrdiff_t>(tail), other.end());
      break;
    }
    case 7: {  // insert a piece of another input
      if (other.empty()) break;
      const size_t from = rng.Below(other.size());
      const size_t n = 1 + rng.Below(other.size() - from);
      data.insert(data.begin() + static_cast<ptrdiff_t>(rng.Below(data.size() + 1)),
                  other.begin() + static_cast<ptrdiff_t>(from),
                  other.begin() + static_cast<ptrdiff_t>(from + n));
      break;
    }
    default:  // change the case of one letter (hex and keys are case-sensitive)
      if (!data.empty()) {
        uint8_t& c = data[rng.Below(data.size())];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) c ^= 0x20;
      }
      break;
  }
  if (data.size() > kMaxInputSize) data.resize(kMaxInputSize);
}

bool ReadFile(const std::filesystem::path& path, Input& out) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return false;
  out.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t runs = kDefaultRuns;
  uint64_t seed = 0x5eed;
  std::vector<std::filesystem::path> paths;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.starts_with("-runs=")) {
      runs = std::strtoull(argv[i] + 6, nullptr, 10);
    } else if (arg.starts_with("-seed=")) {
      seed = std::strtoull(argv[i] + 6, nullptr, 10);
    } else if (std::filesystem::is_directory(arg)) {
      for (const auto& entry : std::filesystem::directory_iterator(arg)) {
        if (entry.is_regular_file()) paths.push_back(entry.path());
      }
    } else {
      paths.emplace_back(arg);
    }
  }
  // Directory order is unspecified; sorting keeps runs identical everywhere.
  std::sort(paths.begin(), paths.end());
  InstallCrashHandlers(argv[0]);

  std::vector<Input> corpus;
  for (const auto& path : paths) {
    Input input;
    if (!ReadFile(path, input)) {
      std::fprintf(stderr, "replay: cannot read %s\n", path.c_str());
      return 2;
    }
    std::snprintf(current.label, sizeof(current.label), "corpus file %s", path.filename().c_str());
    Run(input);
    corpus.push_back(std::move(input));
  }
  if (corpus.empty()) corpus.emplace_back();  // still mutate, from nothing

  Rng rng(seed);
  std::vector<Input> pool = corpus;
  for (uint64_t i = 0; i < runs; ++i) {
    Input input = rng.OneIn(2) ? corpus[rng.Below(corpus.size())] : pool[rng.Below(pool.size())];
    const size_t mutations = 1 + rng.Below(5);
    for (size_t m = 0; m < mutations; ++m) Mutate(input, pool, rng);
    std::snprintf(current.label, sizeof(current.label), "mutation %llu (seed %llu)",
                  static_cast<unsigned long long>(i), static_cast<unsigned long long>(seed));
    Run(input);
    if (rng.OneIn(4)) {
      if (pool.size() < kPoolSize) {
        pool.push_back(std::move(input));
      } else {
        pool[rng.Below(pool.size())] = std::move(input);
      }
    }
  }
  std::printf("replay: %zu corpus inputs and %llu mutations passed\n", corpus.size(),
              static_cast<unsigned long long>(runs));
  return 0;
}
