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
users=$(nm -A "$lib" 2>/dev/null | grep -E ' U __cxa_demangle$' | awk -F: '{print $2}' | sort -u || true)
for u in $users; do
  case "$u" in *demangle_cxa.cpp.o) ;; *) echo "$u references __cxa_demangle directly"; exit 1 ;; esac
done
dwarf='btc_dwarf_source_line|_ZN3btc2rt(10DwarfLines|12DwarfInlines|16read_unit_header|9read_form|12read_abbrevs)'
users=$(nm -A "$lib" 2>/dev/null | grep -E " U ($dwarf)" | awk -F: '{print $2}' | sort -u || true)
for u in $users; do
  case "$u" in *dwarf_lines.cpp.o|*dwarf_inlines.cpp.o|*dwarf_reader.cpp.o) ;;
    *) echo "$u references the DWARF line-table reader directly"; exit 1 ;; esac
done
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
  users=$(nm -A "$lib" 2>/dev/null | grep -E " U $sym\$" | awk -F: '{print $2}' | sort -u || true)
  for u in $users; do
    case "$u" in *"$home") ;; *) echo "$u references $sym directly"; exit 1 ;; esac
  done
done
# The uprobe_multi attach code (uprobe_multi.cpp) is reached only through btc_tool.uprobe_multi_functions.
users=$(nm -A "$lib" 2>/dev/null | grep -E ' U (btc_uprobe_multi_functions|_ZN3btc2rt23kernel_has_uprobe_multiEv)$' |
  awk -F: '{print $2}' | sort -u || true)
for u in $users; do
  echo "$u references the uprobe_multi attach code directly"; exit 1
done
# Finding uprobe:*:glob's matches in the -p process (uprobe_process_matches.cpp) is part of it.
users=$(nm -A "$lib" 2>/dev/null | grep -E ' U _ZN3btc2rt(20find_process_matches|17find_file_matches)' | awk -F: '{print $2}' | sort -u || true)
for u in $users; do
  case "$u" in *uprobe_multi.cpp.o) ;; *) echo "$u references find_process_matches directly"; exit 1 ;; esac
done
# usdt:*:provider:name globs: the attach code (usdt_process.cpp) is reached only through
# btc_tool.usdt_process_functions, and only it finds their matches (usdt_process_matches.cpp).
users=$(nm -A "$lib" 2>/dev/null | grep -E ' U btc_usdt_process_functions$' | awk -F: '{print $2}' | sort -u || true)
for u in $users; do
  echo "$u references the usdt glob attach code directly"; exit 1
done
users=$(nm -A "$lib" 2>/dev/null | grep -E ' U _ZN3btc2rt(17find_usdt_matches|22find_usdt_file_matches)' | awk -F: '{print $2}' | sort -u || true)
for u in $users; do
  case "$u" in *usdt_process.cpp.o) ;; *) echo "$u references find_usdt_matches directly"; exit 1 ;; esac
done
# dw_ustack's unwind tables (dw_unwind.cpp, eh_frame.cpp, and running a -c child to its entry point
# in child_entry.cpp) are reached only through btc_tool.dw_unwind.
users=$(nm -A "$lib" 2>/dev/null | grep -E ' U (_ZN3btc2rt16read_unwind_file|_ZN3btc2rt12ChildProcess12run_to_entry)' |
  awk -F: '{print $2}' | sort -u || true)
for u in $users; do
  case "$u" in *dw_unwind.cpp.o) ;; *) echo "$u references the dw_ustack unwind-table code directly"; exit 1 ;; esac
done
libdw=$(nm -u "$lib" | grep -E ' (dwarf|dwfl|dwelf)_[a-z]' | sort -u || true)
if [ -n "$libdw" ]; then
  echo "$lib references libdw:"; echo "$libdw"; exit 1
fi
echo "runtime link check: ok"
