# Headless Chromium for the browser checks of the report's output (tests/report: the layout of the
# SVG figures; report.html). puppeteer-core 24.43.1 (node >= 18) is installed at configure time into
# ${DISFER_BROWSER_TEST_DIR} (<build>/browser-test) with disfer_npm_install (cmake/disferNpm.cmake:
# `npm pack` + the tarball's SHA-256, then `npm ci --ignore-scripts` from the committed
# tests/report/browser/package-lock.json; a stamp keeps a complete install). puppeteer-core downloads
# no browser: the tests drive Debian's chromium (/usr/bin/chromium, apt-get install chromium).
# Without node, npm, network or chromium the build goes on; DISFER_BROWSER_TEST_MISSING then says
# what is missing and the browser tests skip with that message. Sanitizer builds install nothing
# (the browser tests carry the label no-asan).
#
# Sets DISFER_BROWSER_TEST_DIR, DISFER_CHROMIUM_EXECUTABLE, DISFER_NODE_EXECUTABLE and
# DISFER_BROWSER_TEST_MISSING (empty when everything is there).
include_guard(GLOBAL)
include(disferNpm)
set(DISFER_BROWSER_TEST_DIR "${PROJECT_BINARY_DIR}/browser-test")
option(DISFER_FETCH_BROWSER_TEST "Install puppeteer-core with npm into the build tree (the headless Chromium tests)" ON)
find_program(DISFER_CHROMIUM_EXECUTABLE NAMES chromium chromium-browser google-chrome-stable google-chrome)

set(DISFER_BROWSER_TEST_MISSING "")
if(DISFER_SANITIZE)
  set(DISFER_BROWSER_TEST_MISSING "not installed in sanitizer builds (DISFER_SANITIZE=ON, the browser tests are no-asan)")
elseif(NOT DISFER_CHROMIUM_EXECUTABLE)
  set(DISFER_BROWSER_TEST_MISSING "chromium was not found on PATH at configure time (Debian: apt-get install chromium)")
elseif(NOT DISFER_FETCH_BROWSER_TEST)
  set(DISFER_BROWSER_TEST_MISSING "DISFER_FETCH_BROWSER_TEST is OFF, so puppeteer-core was not installed")
else()
  # SHA-256 of puppeteer-core-24.43.1.tgz as `npm pack puppeteer-core@24.43.1` writes it.
  disfer_npm_install(
    DIR "${DISFER_BROWSER_TEST_DIR}" LOCK_DIR "${PROJECT_SOURCE_DIR}/tests/report/browser"
    WHAT "puppeteer-core 24.43.1 for the headless Chromium tests" MISSING DISFER_BROWSER_TEST_MISSING
    PACKAGES "puppeteer-core@24.43.1=b6853eba26fa6b686727cdad5d09a5765d231a6ca0f5b74ccb236713c696f400")
endif()
if(DISFER_BROWSER_TEST_MISSING)
  disfer_npm_one_line(DISFER_BROWSER_TEST_MISSING)
  message(STATUS "disfer: browser tests UNAVAILABLE: ${DISFER_BROWSER_TEST_MISSING}; they skip")
else()
  message(STATUS "disfer: browser tests: puppeteer-core in ${DISFER_BROWSER_TEST_DIR}, ${DISFER_CHROMIUM_EXECUTABLE}")
endif()
