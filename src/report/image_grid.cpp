// Placing tiles: nearest-neighbour enlargement, one tile pixel to a scale x scale block.
#include "report/image_grid.h"

#include <stdexcept>

namespace mnist {

TileImage make_tile_image(const TileLayout& layout, int channels, uint8_t background) {
    if (layout.tile_width == 0 || layout.tile_height == 0 || layout.rows == 0 || layout.cols == 0 ||
        layout.scale == 0 || (channels != 1 && channels != 3))
        throw std::invalid_argument("make_tile_image: empty layout or bad channel count");
    TileImage image;
    image.layout = layout;
    image.channels = channels;
    image.pixels.assign(layout.image_width() * layout.image_height() * static_cast<size_t>(channels), background);
    return image;
}

void put_tile(TileImage& image, size_t row, size_t col, const uint8_t* tile) {
    const TileLayout& l = image.layout;
    if (row >= l.rows || col >= l.cols) throw std::invalid_argument("put_tile: cell outside the grid");
    const size_t channels = static_cast<size_t>(image.channels), width = l.image_width();
    for (size_t y = 0; y < l.tile_height * l.scale; ++y) {
        const uint8_t* source_row = tile + (y / l.scale) * l.tile_width * channels;
        uint8_t* dest = image.pixels.data() + ((l.tile_y(row) + y) * width + l.tile_x(col)) * channels;
        for (size_t x = 0; x < l.tile_width * l.scale; ++x)
            for (size_t k = 0; k < channels; ++k) dest[x * channels + k] = source_row[(x / l.scale) * channels + k];
    }
}

}  // namespace mnist
