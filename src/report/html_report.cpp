// HTML and Markdown from the same Report, so the two always hold the same tables and figures.
#include "report/html_report.h"

#include <cctype>

#include "report/svg.h"

namespace mnist {
namespace {

const char* kStyle =
    "body{font-family:Helvetica,Arial,sans-serif;color:#222;max-width:980px;margin:2em auto;padding:0 1em;"
    "line-height:1.45}\n"
    "h1{margin-bottom:0.2em}h2{border-bottom:2px solid #ddd;padding-bottom:0.2em;margin-top:2em}\n"
    ".summary{font-size:1.1em;color:#444}\n"
    "table{border-collapse:collapse;margin:1em 0;font-size:14px}\n"
    "caption{text-align:left;font-weight:bold;padding-bottom:0.4em}\n"
    "th,td{padding:3px 12px;border-bottom:1px solid #e2e2e2;text-align:right;font-variant-numeric:tabular-nums}\n"
    "th:first-child,td:first-child,table.text td,table.text th{text-align:left}\n"
    "th{border-bottom:2px solid #bbb}\n"
    "tr.highlight td{font-weight:bold;background:#fff5d6}\n"
    "figure{margin:1.5em 0}figure h3{margin:0 0 0.3em 0;font-size:1.05em}\n"
    "figcaption{font-size:14px;color:#444;max-width:860px}\n"
    "svg{max-width:100%;height:auto;display:block}\n"
    "nav ol{columns:2}\n";

std::string table_html(const ReportTable& table) {
    std::string out = table.text ? "<table class=\"text\">\n" : "<table>\n";
    if (!table.caption.empty()) out += "<caption>" + xml_escape(table.caption) + "</caption>\n";
    out += "<thead><tr>";
    for (const std::string& h : table.header) out += "<th>" + xml_escape(h) + "</th>";
    out += "</tr></thead>\n<tbody>\n";
    for (size_t r = 0; r < table.rows.size(); ++r) {
        const bool highlight = r < table.highlight.size() && table.highlight[r];
        out += highlight ? "<tr class=\"highlight\">" : "<tr>";
        for (const std::string& cell : table.rows[r]) out += "<td>" + xml_escape(cell) + "</td>";
        out += "</tr>\n";
    }
    return out + "</tbody>\n</table>\n";
}

// Text for Markdown, where some characters are markup: a path such as "runs/<today>|a&b*" must show as
// it is, not open an HTML tag, an entity, a table column or emphasis. Each such character is escaped with
// a backslash (CommonMark: any ASCII punctuation may be), except in our own prose (`code_spans`), where
// backticks stay markup so that `mnist eda` is still set as code. An underscore between two letters or
// digits (train_loss) cannot start or end emphasis, so it is left as it is.
std::string markdown_text(const std::string& text, bool code_spans) {
    const auto word = [&](size_t i) {
        return i < text.size() && std::isalnum(static_cast<unsigned char>(text[i])) != 0;
    };
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const bool intraword_underscore = c == '_' && i > 0 && word(i - 1) && word(i + 1);
        if (c == '\\' || c == '*' || (c == '_' && !intraword_underscore) || c == '[' || c == ']' || c == '<' ||
            c == '>' || c == '&' || c == '|' || (c == '`' && !code_spans))
            out += '\\';
        out += c;
    }
    return out;
}

// A table cell: every character as it is (values and paths come from outside), bold when highlighted.
std::string markdown_cell(const std::string& text, bool bold) {
    const std::string out = markdown_text(text, false);
    return bold && !out.empty() ? "**" + out + "**" : out;
}

std::string table_markdown(const ReportTable& table) {
    std::string out;
    if (!table.caption.empty()) out += "**" + markdown_text(table.caption, true) + "**\n\n";
    out += "|";
    for (const std::string& h : table.header) out += " " + markdown_cell(h, false) + " |";
    out += "\n|";
    for (size_t i = 0; i < table.header.size(); ++i) out += i == 0 || table.text ? " :--- |" : " ---: |";
    out += "\n";
    for (size_t r = 0; r < table.rows.size(); ++r) {
        const bool bold = r < table.highlight.size() && table.highlight[r];
        out += "|";
        for (const std::string& cell : table.rows[r]) out += " " + markdown_cell(cell, bold) + " |";
        out += "\n";
    }
    return out + "\n";
}

}  // namespace

std::string report_html(const Report& report) {
    std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
                      xml_escape(report.title) + "</title>\n<style>\n" + kStyle + "</style>\n</head>\n<body>\n";
    out += "<h1>" + xml_escape(report.title) + "</h1>\n";
    if (!report.summary.empty()) out += "<p class=\"summary\">" + xml_escape(report.summary) + "</p>\n";
    out += "<nav><ol>\n";
    for (const ReportSection& s : report.sections)
        out += "<li><a href=\"#" + xml_escape(s.id) + "\">" + xml_escape(s.title) + "</a></li>\n";
    out += "</ol></nav>\n";
    for (const ReportSection& s : report.sections) {
        out += "<section id=\"" + xml_escape(s.id) + "\">\n<h2>" + xml_escape(s.title) + "</h2>\n";
        for (const std::string& p : s.paragraphs) out += "<p>" + xml_escape(p) + "</p>\n";
        for (const ReportTable& t : s.tables) out += table_html(t);
        for (const Figure& f : s.figures) {
            out += "<figure id=\"figure-" + xml_escape(f.name) + "\">\n<h3>" + xml_escape(f.title) + "</h3>\n" + f.svg;
            out += "<figcaption>" + xml_escape(f.caption) + "</figcaption>\n</figure>\n";
        }
        out += "</section>\n";
    }
    return out + "</body>\n</html>\n";
}

std::string report_markdown(const Report& report, const std::string& figure_dir) {
    std::string out = "# " + markdown_text(report.title, true) + "\n\n";
    if (!report.summary.empty()) out += markdown_text(report.summary, true) + "\n\n";
    for (const ReportSection& s : report.sections) {
        out += "## " + markdown_text(s.title, true) + "\n\n";
        for (const std::string& p : s.paragraphs) out += markdown_text(p, true) + "\n\n";
        for (const ReportTable& t : s.tables) out += table_markdown(t);
        for (const Figure& f : s.figures) {
            const std::string title = markdown_text(f.title, true);
            out += "### " + title + "\n\n![" + title + "](" + figure_dir + "/" + f.name + ".svg)\n\n";
            if (!f.png.empty()) out += "(pixels alone: [" + f.name + ".png](" + figure_dir + "/" + f.name + ".png))\n\n";
            out += "*" + markdown_text(f.caption, true) + "*\n\n";
        }
    }
    return out;
}

}  // namespace mnist
