// The course in docs/ and the code in src/ must not drift apart. This test reads both (from the top folder,
// as `make test` and CTest run it) and checks:
//   (a) every `Eq. (n)` cited in src/ is an equation of docs/equations.md;
//   (b) every equation of docs/equations.md is cited somewhere in src/;
//   (c) every function an "Implemented by" line of equations.md names is defined in the file it names, and
//       cites the equation in the comment just above its definition or in its body; every other
//       "`name` in `src/file`" in docs/*.md names something defined or declared in that file;
//   (d) every relative Markdown link in docs/*.md and README.md leads to a file that exists, and every
//       #anchor to a heading of the file it points into; every docs/*.md that a src/ comment names exists;
//   (e) the worked examples the chapters show (the hand-sized network of 05-backprop.md, Adam's two steps in
//       06-adam.md, the metrics in 07-training.md, the quantised unit in 13-quantisation.md) are what the code
//       computes, and the numbers appear in the chapter as printed here;
//   (f) every number the docs quote from the project report is one of docs/report-figures.md (see that file);
//   (g) chapters 2-9 end with exercises, each answered in docs/appendix-b-answers.md, the numeric answers as
//       the code computes them.
// Citations may list or span equations: "Eq. (7), (8), (9)", "Eq. (2), Eq. (3)", "Eq. (17)-(20)".
// Exits 77 (skipped) when docs/ or src/ is not in the current folder.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "check.h"
#include "hand_example.h"
#include "test_files.h"
#include "nn/adam.h"
#include "nn/l2.h"
#include "nn/mlp.h"
#include "nn/softmax_cross_entropy.h"
#include "quant/int8_model.h"
#include "quant/quantize.h"
#include "train/metrics.h"

namespace fs = std::filesystem;
using namespace test_files;
using namespace mnist;

namespace {

// Chapters other branches are still writing (none at the moment). A link to one of them that does not exist
// yet is reported as a warning, not a failure; once the file exists it is checked like any other.
const std::set<std::string> kChaptersWrittenElsewhere = {};

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(line);
    }
    return lines;
}

std::string trim(const std::string& s) {
    const size_t first = s.find_first_not_of(" \t");
    if (first == std::string::npos) return "";
    const size_t last = s.find_last_not_of(" \t");
    return s.substr(first, last - first + 1);
}

bool is_identifier_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Every source and header file under src/, sorted, as paths relative to the top folder ("src/nn/dense.cpp").
std::vector<std::string> source_files() {
    std::vector<std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator("src")) {
        const std::string ext = entry.path().extension().string();
        if (entry.is_regular_file() && (ext == ".cpp" || ext == ".h")) files.push_back(entry.path().generic_string());
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::vector<std::string> markdown_files() {
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator("docs"))
        if (entry.is_regular_file() && entry.path().extension() == ".md") files.push_back(entry.path().generic_string());
    std::sort(files.begin(), files.end());
    if (fs::exists("README.md")) files.push_back("README.md");
    return files;
}

// Parses "(n)" at text[pos]; on success returns n and moves pos past the ')'.
bool parse_parenthesised_number(const std::string& text, size_t& pos, int& n) {
    if (pos >= text.size() || text[pos] != '(') return false;
    size_t p = pos + 1;
    if (p >= text.size() || !std::isdigit(static_cast<unsigned char>(text[p]))) return false;
    int value = 0;
    while (p < text.size() && std::isdigit(static_cast<unsigned char>(text[p])) && value < 100000)
        value = value * 10 + (text[p++] - '0');
    if (p >= text.size() || text[p] != ')') return false;
    n = value;
    pos = p + 1;
    return true;
}

// Every equation number cited in `text`: "Eq. (a)" then any run of ", (b)", ", Eq. (b)" or "-(b)" (a range).
std::set<int> citations(const std::string& text) {
    std::set<int> found;
    const std::string marker = "Eq. ";
    for (size_t at = text.find(marker); at != std::string::npos; at = text.find(marker, at + 1)) {
        size_t pos = at + marker.size();
        int previous = 0;
        if (!parse_parenthesised_number(text, pos, previous)) continue;
        found.insert(previous);
        for (;;) {
            size_t p = pos;
            while (p < text.size() && text[p] == ' ') ++p;
            if (p >= text.size() || (text[p] != ',' && text[p] != '-')) break;
            const bool range = text[p] == '-';
            ++p;
            while (p < text.size() && text[p] == ' ') ++p;
            if (text.compare(p, marker.size(), marker) == 0) p += marker.size();
            int next = 0;
            if (!parse_parenthesised_number(text, p, next)) break;
            if (range && next >= previous && next - previous < 100)
                for (int n = previous; n <= next; ++n) found.insert(n);
            else
                found.insert(next);
            previous = next;
            pos = p;
        }
    }
    return found;
}

// A heading's anchor as Git hosts make it: lower case, punctuation other than '-' and '_' dropped, each
// space a '-'. A repeated heading gets "-1", "-2", ... appended.
std::string slug(const std::string& heading) {
    std::string out;
    for (const char ch : heading) {
        const unsigned char c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) || c == '-' || c == '_') out += static_cast<char>(std::tolower(c));
        else if (c == ' ') out += '-';
        else if (c >= 0x80) out += ch;  // letters outside ASCII are kept
    }
    return out;
}

// The ATX headings ("## Title") of a Markdown file, outside fenced code, as anchors.
std::set<std::string> anchors_of(const std::string& text) {
    std::set<std::string> anchors;
    std::map<std::string, int> seen;
    bool in_fence = false;
    for (const std::string& line : split_lines(text)) {
        if (trim(line).compare(0, 3, "```") == 0) in_fence = !in_fence;
        if (in_fence || line.empty() || line[0] != '#') continue;
        const size_t text_start = line.find_first_not_of('#');
        if (text_start == std::string::npos || text_start > 6 || line[text_start] != ' ') continue;
        const std::string base = slug(trim(line.substr(text_start)));
        const int count = seen[base]++;
        anchors.insert(count == 0 ? base : base + "-" + std::to_string(count));
    }
    return anchors;
}

// The line with inline code spans (`...`) removed, so that link-like text inside them is ignored.
std::string without_code_spans(const std::string& line) {
    std::string out;
    bool in_code = false;
    for (const char c : line) {
        if (c == '`') in_code = !in_code;
        else if (!in_code) out += c;
    }
    return out;
}

struct Link {
    std::string file;  // the Markdown file it is in
    int line;
    std::string target;
};

// The targets of every inline link and image, [text](target), outside code.
std::vector<Link> links_of(const std::string& file, const std::string& text) {
    std::vector<Link> links;
    bool in_fence = false;
    int number = 0;
    for (const std::string& raw : split_lines(text)) {
        ++number;
        if (trim(raw).compare(0, 3, "```") == 0) in_fence = !in_fence;
        if (in_fence || raw.compare(0, 4, "    ") == 0) continue;  // fenced or indented code
        const std::string line = without_code_spans(raw);
        for (size_t at = line.find("]("); at != std::string::npos; at = line.find("](", at + 2)) {
            const size_t start = at + 2;
            size_t end = start;
            int depth = 0;
            while (end < line.size() && !(line[end] == ')' && depth == 0)) {
                if (line[end] == '(') ++depth;
                if (line[end] == ')') --depth;
                ++end;
            }
            std::string target = trim(line.substr(start, end - start));
            const size_t space = target.find(' ');  // drop a "title"
            if (space != std::string::npos) target = target.substr(0, space);
            if (target.size() >= 2 && target.front() == '<' && target.back() == '>')
                target = target.substr(1, target.size() - 2);
            links.push_back({file, number, target});
        }
    }
    return links;
}

// Where `name` is defined or declared at the top level of `text` (a line that starts at column 0 with a
// type, then `name(`), or as a struct/class/enum. Returns the line index, or -1. `definition` tells which:
// a '{' comes before any ';' after the parameter list.
int find_symbol(const std::vector<std::string>& lines, const std::string& name, bool& definition) {
    int declaration_line = -1;
    for (size_t i = 0; i < lines.size(); ++i) {
        const std::string& line = lines[i];
        if (line.empty() || line[0] == ' ' || line[0] == '\t' || line[0] == '#' || line.compare(0, 2, "//") == 0)
            continue;
        for (const char* kind : {"struct ", "class ", "enum class "}) {
            const std::string head = std::string(kind) + name;
            if (line.compare(0, head.size(), head) == 0 &&
                (line.size() == head.size() || !is_identifier_char(line[head.size()]))) {
                definition = true;
                return static_cast<int>(i);
            }
        }
        for (size_t at = line.find(name + "("); at != std::string::npos; at = line.find(name + "(", at + 1)) {
            if (at == 0 || is_identifier_char(line[at - 1]) || line[at - 1] == '.' || line[at - 1] == '>') continue;
            const std::string before = trim(line.substr(0, at));
            if (before.empty() || before.back() == '=' || before.back() == '(' || before.back() == ',') continue;
            // Past the parameter list (which may span lines): is the next of '{' / ';' a brace?
            int depth = 0;
            for (size_t j = i; j < lines.size(); ++j) {
                const std::string& l = lines[j];
                for (size_t k = (j == i ? at : 0); k < l.size(); ++k) {
                    const char c = l[k];
                    if (c == '(') ++depth;
                    if (c == ')') --depth;
                    if (depth == 0 && (c == '{' || c == ';')) {
                        if (c == '{') {
                            definition = true;
                            return static_cast<int>(i);
                        }
                        if (declaration_line < 0) declaration_line = static_cast<int>(i);
                        j = lines.size();
                        break;
                    }
                }
            }
        }
    }
    definition = false;
    return declaration_line;
}

// The comment lines directly above line `at`, the lines from `at` to the end of the function body that
// starts there (braces matched, ignoring comments, strings and character literals), joined.
std::string definition_with_comment(const std::vector<std::string>& lines, int at) {
    int first = at;
    while (first > 0 && trim(lines[first - 1]).compare(0, 2, "//") == 0) --first;
    std::string text;
    for (int i = first; i < at; ++i) text += lines[i] + "\n";
    int depth = 0;
    bool opened = false;
    for (size_t i = static_cast<size_t>(at); i < lines.size(); ++i) {
        const std::string& l = lines[i];
        text += l + "\n";
        char quote = 0;
        for (size_t k = 0; k < l.size(); ++k) {
            const char c = l[k];
            if (quote) {
                if (c == '\\') ++k;
                else if (c == quote) quote = 0;
                continue;
            }
            if (c == '/' && k + 1 < l.size() && l[k + 1] == '/') break;
            if (c == '"' || c == '\'') quote = c;
            if (c == '{') { ++depth; opened = true; }
            if (c == '}') --depth;
        }
        if (opened && depth <= 0) break;
    }
    return text;
}

std::string list_text(const std::set<int>& numbers) {
    std::string text;
    for (const int n : numbers) text += (text.empty() ? "" : ", ") + std::to_string(n);
    return text;
}

// A failure with its explanation.
void fail(const std::string& message) { CHECK_MSG(false, message); }

// (e) Does `chapter` contain `text` exactly? A worked example's number must be printed as the test has it.
void expect_in_chapter(const std::string& chapter, const std::string& chapter_text, const std::string& text) {
    if (chapter_text.find(text) == std::string::npos)
        fail(chapter + ": the worked example should show \"" + text + "\" (the value the code computes)");
    else
        CHECK(true);
}


// ---- (f) The report's figures. Numbers as written in the docs: "98.38", "54,000" (commas dropped), "1e-4".
// A digit right after a letter ("F1", "W2") does not start a number.
std::vector<std::string> numbers_in(const std::string& text) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i < text.size()) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        const bool starts = std::isdigit(c) && (i == 0 || !(std::isalpha(static_cast<unsigned char>(text[i - 1])) ||
                                                            text[i - 1] == '_' || text[i - 1] == '.'));
        if (!starts) {
            ++i;
            continue;
        }
        std::string number;
        while (i < text.size()) {
            const char d = text[i];
            if (std::isdigit(static_cast<unsigned char>(d))) {
                number += d;
                ++i;
            } else if (d == ',' && i + 3 < text.size() + 1 && i + 3 <= text.size() &&
                       std::isdigit(static_cast<unsigned char>(text[i + 1])) &&
                       std::isdigit(static_cast<unsigned char>(text[i + 2])) &&
                       std::isdigit(static_cast<unsigned char>(text[i + 3])) &&
                       (i + 4 >= text.size() || !std::isdigit(static_cast<unsigned char>(text[i + 4])))) {
                ++i;  // a thousands separator
            } else if (d == '.' && i + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
                number += d;
                ++i;
            } else if ((d == 'e' || d == 'E') && i + 1 < text.size() &&
                       (std::isdigit(static_cast<unsigned char>(text[i + 1])) ||
                        (text[i + 1] == '-' && i + 2 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 2]))))) {
                number += 'e';
                ++i;
                if (text[i] == '-') number += text[i++];
            } else {
                break;
            }
        }
        out.push_back(number);
    }
    return out;
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// A Markdown table row's cells, trimmed, without the outer pipes, emphasis marks and backticks.
std::vector<std::string> table_cells(const std::string& line) {
    std::vector<std::string> cells;
    std::string t = trim(line);
    if (t.size() < 2 || t.front() != '|') return cells;
    t = t.substr(1);
    if (!t.empty() && t.back() == '|') t.pop_back();
    std::string cell;
    for (const char c : t) {
        if (c == '|') {
            cells.push_back(trim(cell));
            cell.clear();
        } else if (c != '*' && c != '`') {
            cell += c;
        }
    }
    cells.push_back(trim(cell));
    return cells;
}

struct ReportFigure {
    std::string key, label;
    std::vector<std::string> numbers;
};

}  // namespace

int main() {
    if (!fs::is_directory("docs") || !fs::is_directory("src") || !fs::exists("docs/equations.md"))
        SKIP_TEST("run from the top folder: docs/equations.md or src/ not found");

    // ---- The equations listed in docs/equations.md: headings "### Eq. (n) Title".
    const std::string equations_text = read_text("docs/equations.md");
    const std::vector<std::string> equation_lines = split_lines(equations_text);
    std::set<int> listed;
    {
        int expected = 1;
        for (const std::string& line : equation_lines) {
            if (line.compare(0, 8, "### Eq. ") != 0) continue;
            size_t pos = 8;
            int n = 0;
            if (!parse_parenthesised_number(line, pos, n)) {
                fail("docs/equations.md: malformed equation heading: " + line);
                continue;
            }
            if (listed.count(n)) fail("docs/equations.md: Eq. (" + std::to_string(n) + ") is listed twice");
            if (n != expected)
                fail("docs/equations.md: Eq. (" + std::to_string(n) + ") where Eq. (" + std::to_string(expected) +
                     ") should come next (number them 1, 2, 3, ... in order)");
            listed.insert(n);
            expected = n + 1;
        }
        CHECK(!listed.empty());
    }

    // ---- (a) and (b): citations in src/ against the list.
    std::map<int, std::vector<std::string>> cited_in;  // equation -> files citing it
    const std::vector<std::string> sources = source_files();
    std::map<std::string, std::vector<std::string>> source_lines;
    for (const std::string& file : sources) {
        const std::string text = read_text(file);
        source_lines[file] = split_lines(text);
        for (const int n : citations(text)) cited_in[n].push_back(file);
    }
    for (const auto& [n, files] : cited_in) {
        if (!listed.count(n))
            fail("(a) " + files.front() + " cites Eq. (" + std::to_string(n) +
                 "), which docs/equations.md does not list: add it there, or fix the citation");
        else
            CHECK(true);
    }
    for (const int n : listed) {
        if (!cited_in.count(n))
            fail("(b) docs/equations.md lists Eq. (" + std::to_string(n) +
                 "), but no comment in src/ cites it: cite it above the function that computes it");
        else
            CHECK(true);
    }

    // ---- (c) Functions named by the docs. On an "Implemented by" line of equation n, each
    // "`name` in `src/file`" must be defined in that file and cite Eq. (n) above or inside its definition.
    // Elsewhere in docs/*.md such a pair must name something defined or declared in that file.
    const std::vector<std::string> markdown = markdown_files();
    for (const std::string& md : markdown) {
        const std::vector<std::string> lines = split_lines(read_text(md));
        int equation = 0;  // the equation whose section we are in (equations.md only)
        for (size_t i = 0; i < lines.size(); ++i) {
            const std::string& line = lines[i];
            if (md == "docs/equations.md" && line.compare(0, 3, "## ") == 0) equation = 0;
            if (md == "docs/equations.md" && line.compare(0, 8, "### Eq. ") == 0) {
                size_t pos = 8;
                parse_parenthesised_number(line, pos, equation);
            }
            const bool implemented_by = md == "docs/equations.md" && line.find("Implemented by:") != std::string::npos;
            if (implemented_by && equation == 0)
                fail(md + ":" + std::to_string(i + 1) + ": an \"Implemented by\" line outside an equation's section");
            const std::string pattern = "` in `src/";
            for (size_t at = line.find(pattern); at != std::string::npos; at = line.find(pattern, at + 1)) {
                const size_t name_start = line.rfind('`', at - 1);
                const size_t path_end = line.find('`', at + pattern.size());
                if (name_start == std::string::npos || path_end == std::string::npos) continue;
                const std::string name = line.substr(name_start + 1, at - name_start - 1);
                const std::string file = line.substr(at + 6, path_end - at - 6);
                const std::string where = md + ":" + std::to_string(i + 1) + ": ";
                if (name.empty() || !std::all_of(name.begin(), name.end(), is_identifier_char)) continue;
                if (!source_lines.count(file)) {
                    fail(where + "`" + name + "` in `" + file + "`: there is no such file in src/");
                    continue;
                }
                bool definition = false;
                const int at_line = find_symbol(source_lines[file], name, definition);
                if (at_line < 0) {
                    fail(where + "`" + name + "` is neither defined nor declared in " + file +
                         " (renamed or moved? update the docs)");
                    continue;
                }
                if (!implemented_by) {
                    CHECK(true);
                    continue;
                }
                if (!definition) {
                    fail(where + "`" + name + "` is only declared in " + file +
                         "; name the file that defines it");
                    continue;
                }
                const std::set<int> cited = citations(definition_with_comment(source_lines[file], at_line));
                if (!cited.count(equation))
                    fail("(c) " + where + "`" + name + "` (" + file + ":" + std::to_string(at_line + 1) +
                         ") implements Eq. (" + std::to_string(equation) +
                         ") but its comment and body do not cite it (they cite: " +
                         (cited.empty() ? std::string("nothing") : list_text(cited)) + ")");
                else
                    CHECK(true);
            }
        }
    }
    // Every equation says which function implements it.
    {
        std::set<int> with_implementation;
        int equation = 0;
        for (const std::string& line : equation_lines) {
            if (line.compare(0, 8, "### Eq. ") == 0) {
                size_t pos = 8;
                parse_parenthesised_number(line, pos, equation);
            }
            if (line.find("Implemented by:") != std::string::npos && line.find("` in `src/") != std::string::npos)
                with_implementation.insert(equation);
        }
        for (const int n : listed) {
            if (!with_implementation.count(n))
                fail("(c) docs/equations.md: Eq. (" + std::to_string(n) + ") has no \"Implemented by: `name` in `src/...`\" line");
            else
                CHECK(true);
        }
    }
    // The chapters cite only listed equations.
    for (const std::string& md : markdown) {
        for (const int n : citations(read_text(md))) {
            if (!listed.count(n))
                fail(md + " cites Eq. (" + std::to_string(n) + "), which docs/equations.md does not list");
            else
                CHECK(true);
        }
    }

    // ---- (d) Links.
    std::map<std::string, std::set<std::string>> anchor_cache;
    auto anchors_in = [&](const std::string& path) -> const std::set<std::string>& {
        auto found = anchor_cache.find(path);
        if (found == anchor_cache.end()) found = anchor_cache.emplace(path, anchors_of(read_text(path))).first;
        return found->second;
    };
    int warnings = 0;
    for (const std::string& md : markdown) {
        for (const Link& link : links_of(md, read_text(md))) {
            const std::string where = link.file + ":" + std::to_string(link.line) + ": link (" + link.target + ")";
            if (link.target.empty()) {
                fail(where + " is empty");
                continue;
            }
            if (link.target.find("://") != std::string::npos || link.target.compare(0, 7, "mailto:") == 0) continue;
            const size_t hash = link.target.find('#');
            const std::string path_part = link.target.substr(0, hash);
            const std::string anchor = hash == std::string::npos ? "" : link.target.substr(hash + 1);
            const fs::path resolved =
                path_part.empty() ? fs::path(md) : (fs::path(md).parent_path() / path_part).lexically_normal();
            if (!fs::exists(resolved)) {
                if (kChaptersWrittenElsewhere.count(resolved.filename().string())) {
                    std::printf("warning: %s: %s does not exist yet (written on another branch)\n", where.c_str(),
                                resolved.generic_string().c_str());
                    ++warnings;
                    continue;
                }
                fail(where + ": " + resolved.generic_string() + " does not exist");
                continue;
            }
            if (!anchor.empty() && resolved.extension() == ".md") {
                if (!anchors_in(resolved.generic_string()).count(anchor)) {
                    fail(where + ": " + resolved.generic_string() + " has no heading whose anchor is #" + anchor);
                    continue;
                }
            }
            CHECK(true);
        }
    }
    // Chapters named in src/ comments ("See docs/05-backprop.md") exist.
    for (const auto& [file, lines] : source_lines) {
        for (size_t i = 0; i < lines.size(); ++i) {
            const std::string& line = lines[i];
            for (size_t at = line.find("docs/"); at != std::string::npos; at = line.find("docs/", at + 1)) {
                size_t end = at + 5;
                while (end < line.size() && (is_identifier_char(line[end]) || line[end] == '-' || line[end] == '.'))
                    ++end;
                std::string path = line.substr(at, end - at);
                while (!path.empty() && path.back() == '.') path.pop_back();  // a sentence's full stop
                if (path.size() <= 5 || path.compare(path.size() - 3, 3, ".md") != 0) continue;
                if (fs::exists(path)) {
                    CHECK(true);
                } else if (kChaptersWrittenElsewhere.count(path.substr(5))) {
                    std::printf("warning: %s:%zu names %s, which does not exist yet (written on another branch)\n",
                                file.c_str(), i + 1, path.c_str());
                    ++warnings;
                } else {
                    fail(file + ":" + std::to_string(i + 1) + " names " + path + ", which does not exist");
                }
            }
        }
    }
    if (warnings > 0) std::printf("%d link warning(s) for chapters still being written elsewhere\n", warnings);


    // ---- (f) Numbers quoted from the report agree with the one table of its figures, docs/report-figures.md.
    {
        std::vector<ReportFigure> figures;
        std::set<std::string> all_numbers;
        const std::string figures_file = "docs/report-figures.md";
        if (!fs::exists(figures_file)) fail(figures_file + " is missing: the report's figures are kept there");
        else
            for (const std::string& line : split_lines(read_text(figures_file))) {
                const std::vector<std::string> cells = table_cells(line);
                if (cells.size() != 4 || cells[0].empty() || cells[0] == "key" || cells[0][0] == '-') continue;
                if (!std::all_of(cells[0].begin(), cells[0].end(), is_identifier_char)) continue;
                figures.push_back({cells[0], lower(cells[1]), numbers_in(cells[2])});
                for (const std::string& n : figures.back().numbers) all_numbers.insert(n);
            }
        auto figure = [&](const std::string& key) -> const ReportFigure* {
            for (const ReportFigure& f : figures)
                if (f.key == key) return &f;
            fail(figures_file + ": no figure '" + key + "'");
            return nullptr;
        };
        CHECK(figures.size() >= 19);
        // The table agrees with itself: a run stops `patience` epochs after its best (29 + 10 = 39).
        const ReportFigure* best = figure("best_epoch");
        const ReportFigure* run = figure("epochs_run");
        const ReportFigure* patience = figure("patience");
        if (best && run && patience)
            CHECK(std::stoi(best->numbers.at(0)) + std::stoi(patience->numbers.at(0)) == std::stoi(run->numbers.at(0)));
        const ReportFigure* f1 = figure("lowest_f1");
        const ReportFigure* precision = figure("lowest_precision");
        if (f1 && precision) CHECK(std::stod(precision->numbers.at(0)) <= std::stod(f1->numbers.at(0)) + 0.05);

        int quoted = 0;
        for (const std::string& md : markdown) {
            if (md == figures_file) continue;
            const std::vector<std::string> lines = split_lines(read_text(md));
            bool in_fence = false;
            int report_column = -1;  // in the current table, the column headed "the report"
            for (size_t i = 0; i < lines.size(); ++i) {
                const std::string& line = lines[i];
                const std::string where = md + ":" + std::to_string(i + 1) + ": ";
                if (trim(line).compare(0, 3, "```") == 0) in_fence = !in_fence;
                if (in_fence || line.compare(0, 4, "    ") == 0) continue;
                const std::vector<std::string> cells = table_cells(line);
                if (cells.empty()) {
                    report_column = -1;
                } else if (report_column < 0) {  // a header row (or a row of a table without such a column)
                    for (size_t c = 0; c < cells.size(); ++c)
                        if (lower(cells[c]) == "the report") report_column = static_cast<int>(c);
                } else if (static_cast<size_t>(report_column) < cells.size() && cells[0].compare(0, 3, "---") != 0) {
                    const std::vector<std::string> shown = numbers_in(cells[report_column]);
                    if (shown.empty()) continue;
                    ++quoted;
                    // The row's label names one figure, or several joined by " / ".
                    std::vector<std::string> expected;
                    bool labelled = true;
                    std::string label = lower(cells[0]);
                    for (size_t start = 0; labelled;) {
                        const size_t slash = label.find(" / ", start);
                        const std::string part = trim(label.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
                        const ReportFigure* found = nullptr;
                        for (const ReportFigure& f : figures)
                            if (f.label == part) found = &f;
                        if (!found) labelled = false;
                        else expected.insert(expected.end(), found->numbers.begin(), found->numbers.end());
                        if (slash == std::string::npos) break;
                        start = slash + 3;
                    }
                    if (labelled && shown != expected)
                        fail(where + "the report's \"" + cells[0] + "\" is shown as \"" + cells[report_column] +
                             "\"; docs/report-figures.md has other numbers");
                    else if (!labelled)
                        for (const std::string& n : shown)
                            if (!all_numbers.count(n))
                                fail(where + "\"" + cells[report_column] + "\" in the column \"the report\": " + n +
                                     " is not a figure of docs/report-figures.md");
                    CHECK(true);
                    continue;
                }
                // Running text: "the report['s] ... N" within five words, unless it is "the report's recipe".
                const std::string text = lower(without_code_spans(line));
                for (size_t at = text.find("the report"); at != std::string::npos; at = text.find("the report", at + 1)) {
                    std::istringstream words(text.substr(at + 10));
                    std::string word, previous;
                    for (int w = 0; w < 6 && words >> word; ++w) {
                        if (w == 0 && word.compare(0, 2, "'s") == 0) word = word.substr(2);
                        // The phrase ends at math, a link, a table cell, an opening parenthesis or a punctuation mark.
                        if (word.find_first_of("$|[]") != std::string::npos || word.front() == '(') break;
                        const bool last = std::string(",;.:!?)").find(word.back()) != std::string::npos;
                        if (word.compare(0, 6, "recipe") == 0 || word.compare(0, 7, "network") == 0 ||
                            word.compare(0, 8, "notebook") == 0 || word.compare(0, 8, "equation") == 0)
                            break;
                        const std::vector<std::string> found = numbers_in(word);
                        if (!found.empty()) {
                            const bool reference = previous.compare(0, 5, "table") == 0 || previous == "section" ||
                                                   previous.compare(0, 3, "eq.") == 0;
                            if (!reference) {
                                ++quoted;
                                if (!all_numbers.count(found.front()))
                                    fail(where + "\"" + trim(line) + "\": " + found.front() +
                                         " follows \"the report\" but is not a figure of docs/report-figures.md");
                                else
                                    CHECK(true);
                            }
                            break;
                        }
                        if (last) break;
                        previous = word;
                    }
                }
            }
        }
        CHECK(quoted >= 10);  // the chapters do quote the report; a parser that finds nothing is broken
    }

    // ---- (e) The worked examples.
    // Chapter 5: the 2 -> 3 -> 2 network worked by hand. mlp_forward and mlp_backward (training mode, no
    // dropout) on those numbers must give every value of the chapter's two tables, which print them to 6
    // decimals. q = 1 / (1 + e^1.5); every gradient is a multiple of it.
    {
        const std::string chapter = "docs/05-backprop.md";
        const std::string text = fs::exists(chapter) ? read_text(chapter) : "";
        Compute compute(1);
        hand_example::Network hand = hand_example::make();
        Mlp& mlp = hand.mlp;
        MlpWorkspace& ws = hand.ws;
        const double loss = mlp_forward(compute, mlp, ws, 1, true, 0.0f, 0);
        mlp_backward(compute, mlp, ws, 1, 0.0f);
        const double q = 1 / (1 + std::exp(1.5));
        CHECK_NEAR(loss, std::log(1 + std::exp(-1.5)), 1e-6);
        CHECK(ws.hidden[0].values[0] == 0.0f && ws.hidden[0].values[1] == 1.0f && ws.hidden[0].values[2] == 0.5f);
        CHECK_NEAR(ws.logits.values[0], 1.5, 1e-6);
        CHECK_NEAR(ws.logits.values[1], 0.0, 1e-6);
        CHECK_NEAR(ws.probs.values[1], q, 1e-6);
        const std::vector<float>& g = ws.gradients;
        const float* dw1 = g.data() + mlp.layout.weight_offset[0];
        const float* db1 = g.data() + mlp.layout.bias_offset[0];
        const float* dw2 = g.data() + mlp.layout.weight_offset[1];
        const float* db2 = g.data() + mlp.layout.bias_offset[1];
        const double expect_dw2[6] = {0, -q, -0.5 * q, 0, q, 0.5 * q}, expect_db2[2] = {-q, q};
        const double expect_dw1[6] = {0, 0, -3 * q, -6 * q, 2 * q, 4 * q}, expect_db1[3] = {0, -3 * q, 2 * q};
        for (size_t i = 0; i < 6; ++i) CHECK_NEAR(dw2[i], expect_dw2[i], 1e-6);
        for (size_t i = 0; i < 2; ++i) CHECK_NEAR(db2[i], expect_db2[i], 1e-6);
        for (size_t i = 0; i < 6; ++i) CHECK_NEAR(dw1[i], expect_dw1[i], 1e-6);
        for (size_t i = 0; i < 3; ++i) CHECK_NEAR(db1[i], expect_db1[i], 1e-6);
        char shown[32];
        for (const double value : {q, 1 - q, -std::log(1 - q), 0.5 * q, 3 * q, 6 * q, 2 * q, 4 * q,
                                   std::log(1 + std::exp(-1.501))}) {
            std::snprintf(shown, sizeof shown, "%.6f", value);
            expect_in_chapter(chapter, text, shown);
        }
        expect_in_chapter(chapter, text, "4.481689");
    }
    // Chapter 6: two Adam steps with the default settings (lr 0.001, beta1 0.9, beta2 0.999, eps 1e-8) on
    // theta = (1, -2, 0.5), gradients (0.1, -0.2, 0) then (0.05, 0.3, -0.1): the example tests/test_adam.cpp
    // works by hand, checked here too so that the chapter's tables cannot drift from the code. Then eps
    // outside the square root: a gradient of 1e-10 at t = 1 moves theta by 0.001 / 101, not by 1e-9.
    // The float code agrees with the exact values to 3e-7 in theta (floats near 1-2) and 1e-4 relative in
    // m and v (0.9f and 0.999f are not exactly 0.9 and 0.999).
    {
        const std::string chapter = "docs/06-adam.md";
        const std::string text = fs::exists(chapter) ? read_text(chapter) : "";
        std::vector<float> theta = {1.0f, -2.0f, 0.5f};
        const std::vector<float> g1 = {0.1f, -0.2f, 0.0f}, g2 = {0.05f, 0.3f, -0.1f};
        AdamState state = make_adam_state(3);
        const AdamSettings settings;  // the defaults
        auto near_relative = [](double a, double b, double rel) { return std::fabs(a - b) <= rel * std::fabs(b); };

        adam_update(theta, g1, state, settings, 0, 3);
        adam_finish_step(state);
        CHECK(near_relative(state.first_moment[0], 0.01, 1e-4));
        CHECK(near_relative(state.second_moment[1], 4e-5, 1e-4));
        CHECK_NEAR(theta[0], 0.9990000001, 3e-7);
        CHECK_NEAR(theta[1], -1.99900000005, 3e-7);
        CHECK(theta[2] == 0.5f);

        adam_update(theta, g2, state, settings, 0, 3);
        adam_finish_step(state);
        CHECK(state.step == 2);
        CHECK(near_relative(state.first_moment[0], 0.014, 1e-4));
        CHECK(near_relative(state.first_moment[1], 0.012, 1e-4));
        CHECK(near_relative(state.first_moment[2], -0.01, 1e-4));
        CHECK(near_relative(state.second_moment[0], 1.249e-5, 1e-4));
        CHECK(near_relative(state.second_moment[1], 1.2996e-4, 1e-4));
        CHECK(near_relative(state.second_moment[2], 1e-5, 1e-4));
        CHECK_NEAR(theta[0], 0.99806782058, 3e-7);
        CHECK_NEAR(theta[1], -1.99924770186, 3e-7);
        CHECK_NEAR(theta[2], 0.50074413672, 3e-7);

        std::vector<float> tiny = {0.0f};
        AdamState tiny_state = make_adam_state(1);
        adam_update(tiny, {1e-10f}, tiny_state, settings, 0, 1);
        CHECK_NEAR(tiny[0], -0.001 / 101.0, 1e-10);

        for (const char* shown : {"0.9990000001", "-1.99900000005", "1.249e-5", "1.2996e-4", "0.0736842105",
                                  "0.0062481241", "0.0790450761", "0.00093217952", "0.99806782058",
                                  "-1.99924770186", "0.50074413672", "9.90099e-6"})
            expect_in_chapter(chapter, text, shown);
    }
    // Chapter 7: metrics of the hand-made 3-class confusion matrix of tests/test_metrics.cpp (rows: true label,
    // columns: predicted).
    {
        const std::string chapter = "docs/07-training.md";
        const std::string text = fs::exists(chapter) ? read_text(chapter) : "";
        ConfusionMatrix confusion = make_confusion_matrix(3);
        const uint64_t cells[3][3] = {{5, 1, 0}, {2, 3, 1}, {1, 2, 7}};
        for (size_t t = 0; t < 3; ++t)
            for (size_t p = 0; p < 3; ++p)
                for (uint64_t n = 0; n < cells[t][p]; ++n) add_prediction(confusion, t, p);
        const Metrics m = compute_metrics(confusion);
        CHECK(m.total == 22 && m.correct == 15);
        CHECK_NEAR(m.accuracy, 15.0 / 22, 1e-12);
        CHECK_NEAR(m.per_class[0].precision, 5.0 / 8, 1e-12);
        CHECK_NEAR(m.per_class[0].recall, 5.0 / 6, 1e-12);
        CHECK_NEAR(m.per_class[0].f1, 5.0 / 7, 1e-12);
        CHECK_NEAR(m.per_class[1].precision, 0.5, 1e-12);
        CHECK_NEAR(m.per_class[1].recall, 0.5, 1e-12);
        CHECK_NEAR(m.per_class[1].f1, 0.5, 1e-12);
        CHECK_NEAR(m.per_class[2].precision, 7.0 / 8, 1e-12);
        CHECK_NEAR(m.per_class[2].recall, 0.7, 1e-12);
        CHECK_NEAR(m.per_class[2].f1, 7.0 / 9, 1e-12);
        CHECK(m.per_class[0].support == 6 && m.per_class[1].support == 6 && m.per_class[2].support == 10);
        CHECK_NEAR(m.macro_precision, 2.0 / 3, 1e-12);
        CHECK_NEAR(m.macro_recall, 61.0 / 90, 1e-12);
        CHECK_NEAR(m.macro_f1, 251.0 / 378, 1e-12);
        // As the chapter prints them (4 decimals, as the program's Table 2 does).
        char shown[32];
        for (const double value : {m.accuracy, m.per_class[0].precision, m.per_class[0].recall, m.per_class[0].f1,
                                   m.per_class[2].precision, m.per_class[2].f1, m.macro_precision, m.macro_recall,
                                   m.macro_f1}) {
            std::snprintf(shown, sizeof shown, "%.4f", value);
            expect_in_chapter(chapter, text, shown);
        }
    }


    // ---- (g) Exercises: every chapter from 2 to 9 ends with "## Exercises"; each "**Exercise N.M.**" has its
    // "### N.M ..." answer in Appendix B and every answer an exercise; the numeric answers are what the code
    // (or, for pure arithmetic, the formula written here) gives, printed as the appendix prints them.
    {
        const std::string appendix = "docs/appendix-b-answers.md";
        const std::string answers = fs::exists(appendix) ? read_text(appendix) : "";
        if (answers.empty()) fail(appendix + " is missing");
        std::set<std::string> asked, answered;
        for (const std::string& line : split_lines(answers))
            if (line.compare(0, 4, "### ") == 0) answered.insert(line.substr(4, line.find(' ', 4) - 4));
        for (int chapter = 2; chapter <= 9; ++chapter) {
            std::string file;
            for (const std::string& md : markdown)
                if (md.compare(0, 8, "docs/0" + std::to_string(chapter) + "-") == 0) file = md;
            if (file.empty()) {
                fail("no chapter " + std::to_string(chapter) + " in docs/");
                continue;
            }
            const std::string text = read_text(file);
            if (text.find("\n## Exercises\n") == std::string::npos) fail(file + " has no \"## Exercises\" section");
            const std::string marker = "**Exercise " + std::to_string(chapter) + ".";
            int count = 0;
            for (size_t at = text.find(marker); at != std::string::npos; at = text.find(marker, at + 1)) {
                const size_t end = text.find(".**", at + marker.size());
                if (end == std::string::npos) continue;
                const std::string id = text.substr(at + 11, end - at - 11);
                asked.insert(id);
                ++count;
                if (!answered.count(id)) fail(file + ": exercise " + id + " has no \"### " + id + "\" answer in " + appendix);
                else CHECK(true);
            }
            if (count < 2) fail(file + ": fewer than two exercises");
        }
        for (const std::string& id : answered)
            if (!asked.count(id)) fail(appendix + ": answer " + id + " answers no exercise");

        auto shown = [&](const char* format, double value) {
            char text[64];
            std::snprintf(text, sizeof text, format, value);
            expect_in_chapter(appendix, answers, text);
        };
        // 2.1, 2.3: the parameter block and the hidden buffers.
        const ParameterLayout layout = make_parameter_layout({784, 512, 256, 128, 10});
        size_t weights = 0;
        for (size_t l = 0; l < layout.layers(); ++l) weights += layout.inputs(l) * layout.outputs(l);
        CHECK(layout.total == 567434 && weights == 566528);
        for (const char* text : {"567,434", "566,528", "906", "114,688", "344,064"}) expect_in_chapter(appendix, answers, text);
        CHECK(128 * (512 + 256 + 128) == 114688);
        // 3.1: softmax_cross_entropy_forward on (1, 2, 3), true class 2.
        {
            const float logits[3] = {1, 2, 3};
            float probs[3];
            double losses[1];
            const uint8_t label = 2;
            const double loss = softmax_cross_entropy_forward(probs, losses, logits, &label, 1, 3);
            for (const float p : probs) shown("%.4f", p);
            shown("%.4f", loss);
            shown("%.4f", std::log(10.0));  // 3.2
        }
        // 4.2, 4.3: the predicted first loss and the mask's variance (formulas); 4.4: the penalty of a real
        // initialisation within 2 % of the expected 0.0905.
        {
            const double ex2 = 0.112, var4 = 128 * 2.0 / 138 * ex2;
            shown("%.4f", var4);
            shown("%.4f", std::log(10.0) + 0.9 * var4 / 2);
            shown("%.4f", 0.3 / 0.7);
            const double expected = 0.5e-4 * (1024 + 512 + 256 + 1280 * 2.0 / 138);
            shown("%.4f", expected);
            const Mlp net = make_mlp({784, 512, 256, 128, 10}, 42);
            CHECK(std::fabs(l2_penalty(net.layout, net.parameters, 1e-4f) - expected) < 0.02 * expected);
        }
        // 5.2: the 2-3-2 network with b1[0] = 1.5, through mlp_forward and mlp_backward.
        {
            Compute compute(1);
            hand_example::Network hand = hand_example::make(1.5f);
            Mlp& mlp = hand.mlp;
            MlpWorkspace& ws = hand.ws;
            const double loss = mlp_forward(compute, mlp, ws, 1, true, 0.0f, 0);
            mlp_backward(compute, mlp, ws, 1, 0.0f);
            const float* db1 = ws.gradients.data() + mlp.layout.bias_offset[0];
            const double q = 1 / (1 + std::exp(1.75));
            CHECK_NEAR(db1[0], -0.5 * q, 1e-6);
            CHECK_NEAR(db1[1], -3 * q, 1e-6);
            CHECK_NEAR(db1[2], 2 * q, 1e-6);
            shown("%.6f", loss);
            shown("%.6f", q);
            for (size_t i = 0; i < 3; ++i) shown("%.6f", db1[i]);
            CHECK(128 * 784 * 512 == 51380224);
            expect_in_chapter(appendix, answers, "51,380,224");
        }
        // 6.1: adam_update's first step after t - 1 zero gradients, in units of the learning rate.
        {
            const AdamSettings settings;
            for (const uint64_t before : {uint64_t(0), uint64_t(999), uint64_t(100000000)}) {
                std::vector<float> theta = {0.0f};
                AdamState state = make_adam_state(1);
                state.step = before;  // zero moments, as t - 1 zero gradients leave them
                adam_update(theta, {1.0f}, state, settings, 0, 1);
                const double ratio = -theta[0] / settings.learning_rate;
                if (before == 0) CHECK_NEAR(ratio, 1.0, 1e-4);
                if (before == 999) {
                    CHECK_NEAR(ratio, 2.5146, 1e-3);
                    shown("%.4f", 0.1 / std::sqrt(0.001) * std::sqrt(1 - std::pow(0.999, 1000)) / (1 - std::pow(0.9, 1000)));
                }
                if (before == 100000000) {
                    CHECK_NEAR(ratio, 3.1623, 1e-3);
                    shown("%.4f", 0.1 / std::sqrt(0.001));
                }
            }
            shown("%.4f", 1 / std::sqrt(1 + 1e-8 / 1e-6));   // 6.2
            shown("%.4f", 1 / std::sqrt(1 + 1e-8 / 1e-10));
            const double t99 = std::log(0.01) / std::log(0.999);  // 6.3
            shown("%.0f", std::ceil(t99));
            shown("%.1f", std::ceil(t99) / 422);
        }
        // 7.1: chapter 8's Table 2 recalls weighted by support; 7.2: F1 of the macro averages.
        {
            const double recall[10] = {0.9918, 0.9912, 0.9884, 0.9881, 0.9857, 0.9675, 0.9802, 0.9835, 0.9743, 0.9782};
            const double support[10] = {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009};
            double weighted = 0, total = 0;
            for (int c = 0; c < 10; ++c) {
                weighted += recall[c] * support[c];
                total += support[c];
            }
            CHECK(total == 10000);
            shown("%.2f", weighted);
            shown("%.4f", weighted / total);
            ConfusionMatrix confusion = make_confusion_matrix(3);
            const uint64_t cells[3][3] = {{5, 1, 0}, {2, 3, 1}, {1, 2, 7}};
            for (size_t t = 0; t < 3; ++t)
                for (size_t p = 0; p < 3; ++p)
                    for (uint64_t n = 0; n < cells[t][p]; ++n) add_prediction(confusion, t, p);
            const Metrics m = compute_metrics(confusion);
            shown("%.4f", 2 * m.macro_precision * m.macro_recall / (m.macro_precision + m.macro_recall));
            CHECK((54000 + 127) / 128 == 422 && 54000 - 421 * 128 == 112);
            expect_in_chapter(appendix, answers, "10,550");
        }
        // 8.1-8.3, 9.1, 9.3, 9.4: arithmetic.
        shown("%.4f", std::sqrt(0.98 * 0.02 / 6000));
        shown("%.2f", (98.38 - 98.23) / 0.16);
        shown("%.1e", 1e-4 / 128);
        CHECK(2ull * 128 * (2 * 566528 + 165120) == 332333056ull);
        expect_in_chapter(appendix, answers, "332,333,056");
        shown("%.0f", std::floor(48 * 1024 / (4.0 * (8 + 32))));
        shown("%.0f", std::floor(32 * 1024 / (4.0 * (8 + 32))));
        shown("%.2f", 100.0 * 22 / 32);
    }

    // Chapter 13: the unit worked by hand (the one tests/test_quant.cpp checks too): a hidden layer of 2 units
    // on 4 pixels, row 0 = (0.52, -1.27, 0.08, 0) with bias 0.3, row 1 = (2.54, 0, 0, 0), clip 3, pixels
    // (255, 128, 0, 64); per row and per tensor. And requantize's halves, with M = 1/2.
    {
        const std::string chapter = "docs/13-quantisation.md";
        const std::string text = fs::exists(chapter) ? read_text(chapter) : "";
        Mlp mlp = make_mlp({4, 2, 2}, 1);
        MatrixView w = weights_of(mlp.layout, mlp.parameters, 0);
        const float rows[2][4] = {{0.52f, -1.27f, 0.08f, 0.0f}, {2.54f, 0.0f, 0.0f, 0.0f}};
        for (size_t j = 0; j < 2; ++j)
            for (size_t k = 0; k < 4; ++k) w.at(j, k) = rows[j][k];
        bias_of(mlp.layout, mlp.parameters, 0)[0] = 0.3f;
        bias_of(mlp.layout, mlp.parameters, 0)[1] = 0.0f;
        const uint8_t pixels[4] = {255, 128, 0, 64};
        for (const ScaleKind kind : {ScaleKind::per_row, ScaleKind::per_tensor}) {
            const Int8Layer layer = quantize_mlp(mlp, 2, 2, {3.0}, kind, 0).model.layers[0];
            int32_t sum = layer.biases[0];
            std::string weights = "(";
            for (size_t k = 0; k < 4; ++k) {
                sum += int32_t{layer.weights[k]} * pixels[k];
                weights += std::to_string(layer.weights[k]) + (k < 3 ? ", " : ")");
            }
            const int32_t out = requantize(sum, layer.multipliers[0], layer.shifts[0]);
            CHECK(out == (kind == ScaleKind::per_row ? 16 : 15));
            std::string multiplier = std::to_string(layer.multipliers[0]);  // with thousands separators
            for (int at = static_cast<int>(multiplier.size()) - 3; at > 0; at -= 3) multiplier.insert(static_cast<size_t>(at), ",");
            for (const std::string& shown : {"$q = $ " + weights, "= " + std::to_string(layer.biases[0]),
                                             " = " + std::to_string(sum), "shift is " + std::to_string(layer.shifts[0]),
                                             "round(" + std::to_string(sum), "= " + std::to_string(out) + ","})
                expect_in_chapter(chapter, text, shown);
            if (kind == ScaleKind::per_row) expect_in_chapter(chapter, text, "the multiplier " + multiplier);
        }
        const uint32_t half = uint32_t(1) << 30;
        CHECK(requantize(3, half, 31) == 2 && requantize(-3, half, 31) == -2 && requantize(1, half, 31) == 1 &&
              requantize(-1, half, 31) == -1);
        expect_in_chapter(chapter, text, "the sums 3, -3, 1, -1 give 2, -2, 1, -1");
    }

    return check_exit("test_docs");
}
