// A small well-formedness checker for the SVG and HTML we write, for the tests: every start tag has its end
// tag in the right order, attributes are name="value" pairs with no name twice, text and values hold no
// raw '<' and no '&' that does not start an entity. It also lists the elements found, so a test can count
// them (e.g. rect elements of class "bar"). Not a validating parser: no DTDs, no namespaces checked.
#pragma once

#include <cctype>
#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace xml_check {

struct Element {
    std::string name;
    std::map<std::string, std::string> attributes;
    std::string text;  // the text directly inside it (not inside its children), entities left as they are
    std::string attribute(const std::string& key) const {
        const auto found = attributes.find(key);
        return found == attributes.end() ? std::string() : found->second;
    }
    bool has_class(const std::string& name) const {
        const std::string classes = " " + attribute("class") + " ";
        return classes.find(" " + name + " ") != std::string::npos;
    }
};

struct Parsed {
    std::string error;  // empty when well-formed
    std::vector<Element> elements;  // in document order
};

// '&' must start &name; or &#digits; or &#xhex;.
inline bool entities_ok(const std::string& text) {
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '<') return false;
        if (text[i] != '&') continue;
        const size_t end = text.find(';', i);
        if (end == std::string::npos || end == i + 1 || end - i > 10) return false;
        const std::string name = text.substr(i + 1, end - i - 1);
        static const std::set<std::string> named = {"amp", "lt", "gt", "quot", "apos"};
        if (!named.count(name) && name[0] != '#') return false;
    }
    return true;
}

// Parses `text`. In HTML mode, <!DOCTYPE ...> is allowed and <meta> and <br> need no end tag.
inline Parsed parse(const std::string& text, bool html = false) {
    Parsed out;
    std::vector<size_t> open;  // indices into out.elements of the elements not yet closed
    size_t i = 0;
    const auto fail = [&](const std::string& why) {
        out.error = why + " at byte " + std::to_string(i);
        return out;
    };
    while (i < text.size()) {
        if (text[i] != '<') {
            const size_t next = text.find('<', i);
            const std::string chunk = text.substr(i, next == std::string::npos ? std::string::npos : next - i);
            if (!entities_ok(chunk)) return fail("bad character data");
            if (!open.empty()) out.elements[open.back()].text += chunk;
            else if (chunk.find_first_not_of(" \n\r\t") != std::string::npos) return fail("text outside the root");
            if (next == std::string::npos) break;
            i = next;
            continue;
        }
        if (text.compare(i, 4, "<!--") == 0) {
            const size_t end = text.find("-->", i);
            if (end == std::string::npos) return fail("unclosed comment");
            i = end + 3;
            continue;
        }
        if (text.compare(i, 2, "<?") == 0) {
            const size_t end = text.find("?>", i);
            if (end == std::string::npos) return fail("unclosed declaration");
            i = end + 2;
            continue;
        }
        if (html && text.compare(i, 9, "<!DOCTYPE") == 0) {
            i = text.find('>', i) + 1;
            continue;
        }
        if (text.compare(i, 2, "</") == 0) {
            const size_t end = text.find('>', i);
            if (end == std::string::npos) return fail("unclosed end tag");
            const std::string name = text.substr(i + 2, end - i - 2);
            if (open.empty() || out.elements[open.back()].name != name)
                return fail("end tag </" + name + "> does not match " +
                            (open.empty() ? std::string("nothing") : "<" + out.elements[open.back()].name + ">"));
            open.pop_back();
            i = end + 1;
            continue;
        }
        // A start tag: name, then attributes, then > or />.
        size_t j = i + 1;
        while (j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '-' || text[j] == ':'))
            ++j;
        Element element;
        element.name = text.substr(i + 1, j - i - 1);
        if (element.name.empty()) return fail("empty tag name");
        bool self_closing = false;
        for (;;) {
            while (j < text.size() && std::isspace(static_cast<unsigned char>(text[j]))) ++j;
            if (j >= text.size()) return fail("unclosed start tag");
            if (text[j] == '>') {
                ++j;
                break;
            }
            if (text.compare(j, 2, "/>") == 0) {
                self_closing = true;
                j += 2;
                break;
            }
            const size_t equals = text.find('=', j);
            if (equals == std::string::npos || equals + 1 >= text.size() || text[equals + 1] != '"')
                return fail("attribute without =\"value\" in <" + element.name + ">");
            const std::string key = text.substr(j, equals - j);
            if (key.empty() || key.find_first_of(" <>\"") != std::string::npos) return fail("bad attribute name");
            const size_t close = text.find('"', equals + 2);
            if (close == std::string::npos) return fail("unclosed attribute value");
            const std::string value = text.substr(equals + 2, close - equals - 2);
            if (!entities_ok(value)) return fail("bad attribute value of " + key);
            if (element.attributes.count(key)) return fail("attribute " + key + " given twice");
            element.attributes[key] = value;
            j = close + 1;
        }
        if (open.empty() && !out.elements.empty() && !html) return fail("a second root element");
        out.elements.push_back(element);
        const bool void_element = html && (element.name == "meta" || element.name == "br");
        if (!self_closing && !void_element) open.push_back(out.elements.size() - 1);
        i = j;
    }
    if (!open.empty()) out.error = "<" + out.elements[open.back()].name + "> never closed";
    if (out.elements.empty()) out.error = "no elements";
    return out;
}

// How many elements have this name (and, if given, this class).
inline size_t count(const Parsed& parsed, const std::string& name, const std::string& class_name = "") {
    size_t n = 0;
    for (const Element& e : parsed.elements)
        if (e.name == name && (class_name.empty() || e.has_class(class_name))) ++n;
    return n;
}

// The elements with this name and class, in document order.
inline std::vector<Element> find(const Parsed& parsed, const std::string& name, const std::string& class_name = "") {
    std::vector<Element> found;
    for (const Element& e : parsed.elements)
        if (e.name == name && (class_name.empty() || e.has_class(class_name))) found.push_back(e);
    return found;
}

}  // namespace xml_check
