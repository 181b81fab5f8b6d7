// Shared subcommand helpers.
#include "cli/run_common.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <vector>

#include "codec/image.h"
#include "report/run_files.h"
#include "tensor/thread_pool.h"
#include "train/predict.h"
#include "util/check.h"
#include "util/printable.h"

namespace mnist {


size_t threads_option(const ParsedOptions& options) {
    if (!option_given(options, "threads")) return default_thread_count();
    return thread_count_to_use(option_unsigned(options, "threads", 1, 256));
}

void check_fits_data(const std::string& model_name, size_t image_rows, size_t image_cols, size_t classes,
                     const MnistData& data, const std::string& data_dir) {
    if (image_rows != data.test.rows || image_cols != data.test.cols)
        throw InputError(model_name + ": the model reads " + size_text(image_cols, image_rows) + " images, but " +
                         data_dir + " holds " + size_text(data.test.cols, data.test.rows) + " images");
    if (classes < data.num_classes)
        throw InputError(model_name + ": the model has " + std::to_string(classes) + " outputs, but " + data_dir +
                         " has labels up to " + std::to_string(data.num_classes - 1));
}

void check_model_fits_data(const SavedModel& model, const std::string& model_name, const MnistData& data,
                           const std::string& data_dir) {
    check_fits_data(model_name, model.image_rows, model.image_cols, model.mlp.classes(), data, data_dir);
}

void check_model_outputs(Compute& compute, const SavedModel& model, const std::string& model_name) {
    MlpWorkspace ws = make_mlp_workspace(model.mlp, 1);
    for (const uint8_t value : {uint8_t{0}, uint8_t{255}}) {
        const std::vector<uint8_t> image(model.mlp.inputs(), value);
        const Prediction p = predict_image(compute, model.mlp, ws, image.data());
        for (const float probability : p.probabilities)
            if (!std::isfinite(probability))
                throw InputError(model_name + ": its outputs are not finite numbers (for a " +
                                 (value == 0 ? "blank" : "fully inked") +
                                 " image): its weights are too large to compute with");
    }
}


}  // namespace mnist
