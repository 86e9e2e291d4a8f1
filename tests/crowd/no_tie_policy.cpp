// Must not compile: majority_vote has no default tie policy (tests/crowd/CMakeLists.txt checks
// that the compiler's message says what to write).
#include <disfer/crowd/majority_vote.hpp>

int main() {
  disfer::count_matrix counts = disfer::count_matrix::Zero(2, 3);
  return static_cast<int>(disfer::majority_vote(counts).n_ties);
}
