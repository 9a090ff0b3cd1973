#pragma once
// `muster roster list|search|show|edit|withdraw|reinstate` (roster_people_commands.cpp),
// listed with `roster import` by roster_commands().
#include "command.hpp"

#include <vector>

namespace muster::admin {

std::vector<Command> roster_people_commands();

}  // namespace muster::admin
