#include <catch2/catch.hpp>
#include <disfer/inference.hpp>
