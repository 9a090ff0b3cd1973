// The one translation unit holding Boost.Asio's, its SSL part's and Boost.Beast's compiled
// code. Targets that link muster_boost_net are built with BOOST_ASIO_SEPARATE_COMPILATION and
// BOOST_BEAST_SEPARATE_COMPILATION (shared/net/CMakeLists.txt), so their files that include
// Asio or Beast only instantiate the templates they use instead of compiling the libraries'
// non-template code again each (docs/building.md has the figures).
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
