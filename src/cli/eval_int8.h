// The int8 half of `mnist eval` (cli/eval_command.cpp hands it an int8 model): test accuracy and loss from
// the integer scores, how many test images the int8 model classifies differently from the float model it was
// quantised from, the CRC-32 of all scores (to compare machines and the exported C), and the speed.
// See docs/13-quantisation.md.
#pragma once

#include <string>

#include "cli/options.h"
#include "quant/int8_model.h"

namespace mnist {

// The float model: --float-model, else model.bin beside the int8 model (skipped with a note if that is
// missing or is not the one the int8 model was made from).
int eval_int8_model(const ParsedOptions& options, const Int8Model& model, const std::string& model_path);

}  // namespace mnist
