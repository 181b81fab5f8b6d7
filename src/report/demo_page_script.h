// The fixed parts of demo.html, kept apart from the C++ that fills in the data (demo_page.cpp): the style
// sheet, the markup of the panels, and the script (drawing pad, preprocessing and forward pass in
// JavaScript, self-test). See docs/14-draw-a-digit.md.
#pragma once

namespace mnist {

// Each is one raw string literal, which must stay under 65,536 characters: the length C++ compilers are
// required to support, beyond which clang's -Wpedantic warns (test_demo_page checks). Split a part that grows.
const char* demo_page_style();
const char* demo_page_markup();
const char* demo_page_script();

}  // namespace mnist
