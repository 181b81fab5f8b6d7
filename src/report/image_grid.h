// Small images (tiles: digits, mean images, weight patterns) laid out on a grid as ONE image, for a PNG:
// each tile enlarged by a whole factor (every pixel becomes a square block, so nothing is blurred), with
// background pixels between tiles and, optionally, under each row, where an SVG draws captions
// (report/svg_charts.h). Pixels only: no text, no scaling by fractions. See docs/10-figures.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace mnist {

// Where everything goes, in pixels of the grid image.
struct TileLayout {
    size_t tile_width = 0, tile_height = 0;  // one tile, in its own pixels (e.g. the images' cols and rows)
    size_t rows = 0, cols = 0;               // tiles down and across
    size_t scale = 1;                        // each tile pixel becomes scale x scale image pixels
    size_t gap = 2;                          // background around and between tiles
    size_t caption_height = 0;               // extra background under each row of tiles

    size_t cell_width() const { return tile_width * scale + gap; }
    size_t cell_height() const { return tile_height * scale + gap + caption_height; }
    size_t image_width() const { return gap + cols * cell_width(); }
    size_t image_height() const { return gap + rows * cell_height(); }
    size_t tile_x(size_t col) const { return gap + col * cell_width(); }  // a tile's top-left corner
    size_t tile_y(size_t row) const { return gap + row * cell_height(); }
};

struct TileImage {
    TileLayout layout;
    int channels = 1;             // 1 grey, 3 RGB
    std::vector<uint8_t> pixels;  // [image_height x image_width x channels], as encode_png takes them
};

// A grid image filled with `background` (every channel), tiles still to be placed.
TileImage make_tile_image(const TileLayout& layout, int channels, uint8_t background);

// Copies `tile` ([tile_height x tile_width x channels], row by row) into cell (row, col), enlarged.
void put_tile(TileImage& image, size_t row, size_t col, const uint8_t* tile);

}  // namespace mnist
