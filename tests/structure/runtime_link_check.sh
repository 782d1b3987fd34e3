#!/bin/sh
# The runtime is linked into every tool: it must not reference the parts of libstdc++ that pull
# half a megabyte of locale machinery into a static executable (iostreams, string streams,
# std::filesystem). Use stdio and opendir instead. Also, the C++ demangler may only be reached
# through demangle_cxa.cpp (see runtime/src/demangle.h). Likewise the DWARF line-table reader
# (dwarf_*.cpp) is reached only through btc_tool.source_line: no other runtime object refers to it,
# and nothing refers to libdw (far too big for a tool; the runtime reads DWARF itself). The same
# holds for the build-id stack printer, the PER_PROGRAM user-symbol resolver, the pcap writer and
# the --test/--bench runner (test_bench.cpp, test_report.cpp), and the uprobe_multi attach code
# (with uprobe:*:glob's process matching) is reached only through btc_tool.uprobe_multi_functions, the usdt glob attach code only through
# btc_tool.usdt_process_functions. The kfunc_exist()/kfunc_allowed() answers (kfunc_facts.cpp) and
# cgroupid() lookups (cgroup_id.cpp) are reached only through btc_tool.answer_kfunc_queries and
# btc_tool.cgroup_id_of, so that a tool that does not use them does not link their objects; the
# cgroup hierarchy walk of cgroup_path() values (cgroup_path.cpp) only through
# btc_tool.cgroup_path_functions.
#   runtime_link_check.sh LIBBTC_RUNTIME.a
set -eu
lib=$1
bad=$(nm -u -C "$lib" | grep -E 'fstream|stringstream|std::locale|filesystem|basic_ostream|basic_istream|std::cout|std::cerr' | sort -u || true)
if [ -n "$bad" ]; then
  echo "$lib references iostream/locale/filesystem symbols:"; echo "$bad"; exit 1
fi
# only_referenced_by PATTERN OBJECTS WHAT: of the runtime's objects, only those whose names end in
# one of OBJECTS (blank-separated; none given: no object at all) may refer to the undefined
# symbols matching the extended regular expression PATTERN; any other fails the check, saying
# it references WHAT directly.
only_referenced_by() {
  users=$(nm -A "$lib" 2>/dev/null | grep -E " U ($1)" | awk -F: '{print $2}' | sort -u || true)
  for u in $users; do
    allowed=no
    for object in $2; do
      case "$u" in *"$object") allowed=yes ;; esac
    done
    if [ "$allowed" = no ]; then echo "$u references $3 directly"; exit 1; fi
  done
}
only_referenced_by '__cxa_demangle$' demangle_cxa.cpp.o __cxa_demangle
dwarf='btc_dwarf_source_line|_ZN3btc2rt(10DwarfLines|12DwarfInlines|16read_unit_header|9read_form|12read_abbrevs)'
only_referenced_by "$dwarf" 'dwarf_lines.cpp.o dwarf_inlines.cpp.o dwarf_reader.cpp.o' 'the DWARF line-table reader'
# The build-id stack printer, the PER_PROGRAM user-symbol resolver, the pcap writer and the
# --test/--bench runner are reached only through btc_tool.build_id_stacks, btc_tool.user_symbol_cache,
# btc_tool.pcap_writer and btc_tool.test_bench (tools that use them).
for gated in btc_build_id_stack_functions:build_id_stack.cpp.o btc_user_symbol_cache_functions:user_symbol_cache.cpp.o \
  btc_pcap_writer_functions:pcap_writer.cpp.o btc_test_bench_functions:test_bench.cpp.o btc_dw_unwind_functions:dw_unwind.cpp.o \
  _ZN3btc2rt16test_result_text.*:test_bench.cpp.o _ZN3btc2rt17bench_result_text.*:test_bench.cpp.o \
  btc_answer_kfunc_queries:kfunc_facts.cpp.o _ZN3btc2rt20answer_kfunc_queries.*:kfunc_facts.cpp.o \
  btc_cgroup_id_of:cgroup_id.cpp.o _ZN3btc2rt12cgroup_id_of.*:cgroup_id.cpp.o \
  btc_cgroup_path_functions:cgroup_path.cpp.o _ZN3btc2rt19resolve_cgroup_path.*:cgroup_path.cpp.o; do
  sym=${gated%%:*}; home=${gated#*:}
  only_referenced_by "$sym\$" "$home" "$sym"
done
# The uprobe_multi attach code (uprobe_multi.cpp) is reached only through btc_tool.uprobe_multi_functions.
only_referenced_by '(btc_uprobe_multi_functions|_ZN3btc2rt23kernel_has_uprobe_multiEv)$' '' 'the uprobe_multi attach code'
# Finding uprobe:*:glob's matches in the -p process (uprobe_process_matches.cpp) is part of it.
only_referenced_by '_ZN3btc2rt(20find_process_matches|17find_file_matches)' uprobe_multi.cpp.o find_process_matches
# usdt:*:provider:name globs: the attach code (usdt_process.cpp) is reached only through
# btc_tool.usdt_process_functions, and only it finds their matches (usdt_process_matches.cpp).
only_referenced_by 'btc_usdt_process_functions$' '' 'the usdt glob attach code'
only_referenced_by '_ZN3btc2rt(17find_usdt_matches|22find_usdt_file_matches)' usdt_process.cpp.o find_usdt_matches
# dw_ustack's unwind tables (dw_unwind.cpp, eh_frame.cpp, and running a -c child to its entry point
# in child_entry.cpp) are reached only through btc_tool.dw_unwind.
only_referenced_by '(_ZN3btc2rt16read_unwind_file|_ZN3btc2rt12ChildProcess12run_to_entry)' dw_unwind.cpp.o \
  'the dw_ustack unwind-table code'
libdw=$(nm -u "$lib" | grep -E ' (dwarf|dwfl|dwelf)_[a-z]' | sort -u || true)
if [ -n "$libdw" ]; then
  echo "$lib references libdw:"; echo "$libdw"; exit 1
fi
echo "runtime link check: ok"
