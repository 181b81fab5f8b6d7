// A report as plain data (sections of paragraphs, tables and figures) and its two renderings: one
// self-contained HTML file (SVG inline, PNG pixels as base64 inside the SVG, styles in a <style> block; no
// scripts, no network, so it opens offline in any browser) and Markdown whose images link the figure files.
// Rendering only: what goes in a run's report is run_report.h's business. See docs/10-figures.md.
#pragma once

#include <string>
#include <vector>

#include "report/figure.h"

namespace mnist {

struct ReportTable {
    std::string caption;                         // e.g. "Table 1: ..."
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;  // cells as text; columns after the first are right-aligned
    std::vector<bool> highlight;                 // per row: shown in bold (the best epoch); may be shorter
    bool text = false;                           // true: every column left-aligned (words, not numbers)
};

struct ReportSection {
    std::string id;     // anchor for the table of contents, e.g. "data"
    std::string title;
    std::vector<std::string> paragraphs;  // plain text (escaped when rendered)
    std::vector<ReportTable> tables;      // shown after the paragraphs
    std::vector<Figure> figures;          // shown after the tables
};

struct Report {
    std::string title;
    std::string summary;  // one line under the title
    std::vector<ReportSection> sections;
};

// The whole HTML document, UTF-8.
std::string report_html(const Report& report);

// Markdown (GitHub's dialect, for the tables); each figure is an image link to <figure_dir>/<name>.svg.
std::string report_markdown(const Report& report, const std::string& figure_dir);

}  // namespace mnist
