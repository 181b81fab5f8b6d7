// The parameter block's layout: offsets computed once from the layer sizes. See docs/02-forward.md.
#include "nn/parameters.h"

namespace mnist {

ParameterLayout make_parameter_layout(const std::vector<size_t>& sizes) {
    ParameterLayout layout;
    layout.sizes = sizes;
    size_t offset = 0;
    for (size_t l = 0; l + 1 < sizes.size(); ++l) {
        layout.weight_offset.push_back(offset);
        offset += sizes[l + 1] * sizes[l];
        layout.bias_offset.push_back(offset);
        offset += sizes[l + 1];
    }
    layout.total = offset;
    return layout;
}

}  // namespace mnist
