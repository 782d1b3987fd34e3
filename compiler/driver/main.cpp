// btc: compiles a bpftrace script into one static executable.
#include <CLI/CLI.hpp>
#include <iostream>

#include "driver/compile.h"
#include "driver/list_probes.h"

int main(int argc, char **argv) {
  CLI::App app{"btc: ahead-of-time compiler for bpftrace scripts", "btc"};
  btc::CompileOptions opts;
  std::string program;
  app.add_option("script", opts.script_path, "bpftrace script (.bt)");
  app.add_option("-e", program, "program text instead of a script file");
  app.add_option("-o,--output", opts.output, "executable to write");
  std::string list_pattern;
  bool list = false;
  app.add_flag("-l", list, "list probes (tracepoints, kernel functions, software events) matching SCRIPT as a pattern");
  app.add_option("--btf", opts.btf_path, "kernel BTF to type-check against")->capture_default_str();
  app.add_option("--emit-dir", opts.emit_dir, "keep the generated .bpf.c, .bpf.o and host source in DIR");
  app.add_option("-I", opts.include_dirs, "add DIR to the #include search path of the BPF C");
  app.add_flag("-v,--verbose", opts.verbose, "print what btc runs");
  app.add_flag("--unsafe", opts.unsafe, "allow functions that act outside the kernel, like system()");
  app.set_version_flag("--version", std::string("btc ") + BTC_VERSION);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    return app.exit(e) == 0 ? 0 : 1;
  }
  if (list) return btc::list_probes(opts.script_path, opts.btf_path, std::cout, opts.verbose);
  if (opts.output.empty()) {
    std::cerr << "btc: error: -o OUTPUT is required\n";
    return 1;
  }
  if (opts.script_path.empty() == program.empty()) {
    std::cerr << "btc: error: give exactly one of a script file or -e 'PROGRAM'\n";
    return 1;
  }
  opts.program_text = program;
  return btc::compile(opts);
}
