#pragma once
// SQL pieces shared by the store functions in shared/src; not a public header.
#include <string>

namespace muster::store {

// The condition "check-in `c` counts as attendance and no void correction cancels it",
// for queries over check_ins aliased `c`. Its outcome list is built from
// counts_as_attendance(), the one rule, rather than written out by hand.
const std::string& counted_not_voided_sql();

}  // namespace muster::store
