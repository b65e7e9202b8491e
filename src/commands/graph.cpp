#include "commands/graph.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "commands/context.hpp"
#include "commands/workspace.hpp"
#include "graph/graph_layout.hpp"
#include "graph/graph_marks.hpp"
#include "graph/graphviz_output.hpp"
#include "graph/svg_graph.hpp"
#include "output/console.hpp"
#include "util/error.hpp"
#include "util/file.hpp"

namespace migrate {

namespace {

/// Above this many migrations, Graphviz's dot layout takes long enough to say so.
constexpr std::size_t kSlowDotLayout = 1000;

enum class Format { dot, svg, png, unknown };

/// The format a --format word or a file extension (without its dot) names: "gv" is DOT's
/// other extension.
Format format_called(std::string_view name) {
  if (name == "dot" || name == "gv") {
    return Format::dot;
  }
  if (name == "svg") {
    return Format::svg;
  }
  if (name == "png") {
    return Format::png;
  }
  return Format::unknown;
}

/// --format, else the extension of -o; DOT on standard output. An extension that is not a
/// format's is refused rather than filled with DOT (`-o graph.jpg` is not a JPEG), as is one
/// that contradicts --format.
Format parse_format(const GraphOptions& options, const std::filesystem::path& output,
                    const std::string& shown) {
  std::string extension = output.extension().string();
  Format named = format_called(extension.empty() ? "" : std::string_view(extension).substr(1));
  if (options.format) {
    Format format = format_called(*options.format);
    if (format == Format::unknown || *options.format == "gv") {
      throw UsageError(fmt::format("unknown --format '{}': use dot, svg or png", *options.format));
    }
    if (named != Format::unknown && named != format) {
      throw UsageError(fmt::format("--format {} and -o {} disagree: name the file after the format",
                                   *options.format, shown));
    }
    return format;
  }
  if (output.empty()) {
    return Format::dot;
  }
  if (named == Format::unknown) {
    throw UsageError(fmt::format(
        "-o {}: {} is not a format migrate-graph writes. Name the file .dot (or .gv), .svg or "
        ".png, or give the format with --format dot|svg|png",
        shown,
        extension.empty() ? std::string("a name without an extension") : "'" + extension + "'"));
  }
  return named;
}

/// True for Graphviz's dot layout, false for the lanes; refuses combinations that mean nothing.
bool uses_dot_layout(Format format, const std::optional<std::string>& layout) {
  if (layout && *layout != "lanes" && *layout != "dot") {
    throw UsageError(fmt::format("unknown --layout '{}': use lanes or dot", *layout));
  }
  if (format == Format::dot) {
    if (layout) {
      throw UsageError(
          "--layout is for SVG: DOT output carries no layout (Graphviz's tools lay it out)");
    }
    return false;
  }
  if (format == Format::png) {
    if (layout == "lanes") {
      throw UsageError(
          "PNG is rendered by Graphviz with its dot layout; the lane layout is drawn as SVG only "
          "(--format svg)");
    }
    return true;
  }
  return layout == "dot";
}

/// Refuses an output path that cannot be written, before any work is done. A folder given as
/// the file is bad usage (exit 2); a missing or read-only folder fails like a database file
/// there would (exit 1).
void check_writable(const std::filesystem::path& path, const std::filesystem::path& shown) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    throw UsageError(fmt::format("-o {} is a folder: give a file name, e.g. -o {}/migrations.svg",
                                 shown.string(), shown.string()));
  }
  std::filesystem::path folder = path.parent_path();
  if (!std::filesystem::is_directory(folder, error)) {
    throw IoError(
        fmt::format("cannot write the graph to {}: the folder {} does not exist. Create "
                    "it first, or write elsewhere",
                    shown.string(), shown.parent_path().string()));
  }
  if (::access(folder.c_str(), W_OK) != 0) {
    throw IoError(fmt::format("cannot write the graph to {}: the folder is not writable ({})",
                              shown.string(), std::strerror(errno)));
  }
}

/// The migrations' states in the configured database, when it can be read: none (no colours)
/// when it does not exist yet or cannot be reached.
GraphStates read_states(Context& context, const RevisionGraph& graph) {
  GraphStates states;
  try {
    TargetStatus view = read_database(context, graph);
    if (!view.connection) {
      return states;  // no database yet (a missing SQLite file is not created)
    }
    states = graph_states(view.status, view.url.redacted());
  } catch (const DbError& e) {
    context.console.warning(fmt::format("drawing without applied/pending colours: {}", e.what()));
  }
  return states;
}

}  // namespace

ExitCode run_graph(Context& context, const GraphOptions& options) {
  const bool to_stdout = options.output.empty() || options.output == "-";
  std::filesystem::path output;
  if (!to_stdout) {
    output = context.cwd / options.output;
  }
  if (!to_stdout) {
    check_writable(output, options.output);
  }
  Format format = parse_format(options, output, options.output);
  bool dot_layout = uses_dot_layout(format, options.layout);
  if (to_stdout && format == Format::png && ::isatty(STDOUT_FILENO) != 0) {
    throw UsageError("a PNG is binary: write it to a file (-o migrations.png) or redirect stdout");
  }

  RevisionGraph graph = load_graph(context, Reading::outline);  // it draws no SQL
  GraphStates states = read_states(context, graph);
  std::string drawing;
  if (format == Format::dot) {
    drawing = graph_to_dot(graph, states);
  } else if (dot_layout) {
    if (graph.size() > kSlowDotLayout) {
      context.console.note(fmt::format(
          "Graphviz's dot layout of {} migrations takes a while; --format svg (the lane layout) "
          "is immediate",
          graph.size()));
    }
    drawing = render_with_graphviz(
        graph, states, format == Format::png ? GraphvizFormat::png : GraphvizFormat::svg);
  } else {
    drawing = draw_svg_graph(graph, lay_out(graph), states);
  }

  if (to_stdout) {
    context.console.result(drawing);
  } else {
    write_file_atomically(output, drawing);
    context.console.info("wrote {} ({} migration{}{}{})",
                         display_path(output, context.cwd).string(), graph.size(),
                         graph.size() == 1 ? "" : "s", repeatables_count(graph),
                         states.known() ? fmt::format(", states in {}", states.database) : "");
  }
  return ExitCode::success;
}

}  // namespace migrate
