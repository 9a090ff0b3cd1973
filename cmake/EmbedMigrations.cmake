# Generates migrations.hpp: every shared/migrations/NNNN_*.sql as a string, in order
# (generated::migrations, the SQLite schema), and every shared/migrations/postgresql/NNNN_*.sql
# likewise (generated::postgresql_migrations, the hub's schema on PostgreSQL, issue 14).
# Run in script mode: cmake -DSRC_DIR=... -DPG_DIR=... -DOUT=... -P EmbedMigrations.cmake

# Sets ${out_var} to the C++ initialisers of dir's NNNN_*.sql files, checking they are numbered
# 0001, 0002, ... without a gap.
function(muster_embed_sql_files dir out_var)
  file(GLOB files "${dir}/[0-9][0-9][0-9][0-9]_*.sql")
  list(SORT files)
  set(body "")
  set(i 1)
  foreach(f IN LISTS files)
    get_filename_component(name "${f}" NAME)
    string(SUBSTRING "${name}" 0 4 num)
    if(NOT num EQUAL i)
      message(FATAL_ERROR "migration ${f}: expected number ${i}")
    endif()
    file(READ "${f}" sql)
    string(APPEND body "    R\"muster_sql(${sql})muster_sql\",\n")
    math(EXPR i "${i} + 1")
  endforeach()
  set(${out_var} "${body}" PARENT_SCOPE)
endfunction()

muster_embed_sql_files("${SRC_DIR}" sqlite_body)
muster_embed_sql_files("${PG_DIR}" pg_body)
file(WRITE "${OUT}.tmp" "#pragma once
// Generated from shared/migrations/*.sql and shared/migrations/postgresql/*.sql by
// cmake/EmbedMigrations.cmake.
#include <array>

namespace muster::store::generated {
inline constexpr std::array migrations{
${sqlite_body}};
inline constexpr std::array postgresql_migrations{
${pg_body}};
}
")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
