// Tests for train/settings: the one table of run settings. Every row's default text must mean what
// RunSettings' initialiser holds (the two are written in two places, and only this test ties them), every
// value a row prints must parse back to itself, out-of-range values are refused naming the option, and the
// checkpoint's identifying settings survive a round trip and name the first setting that differs.
#include <cstdio>
#include <set>
#include <string>

#include "check.h"
#include "train/settings.h"
#include "util/check.h"

using namespace mnist;

namespace {

bool same_value(const SettingValue& a, const SettingValue& b) {
    return a.count == b.count && a.real == b.real && a.list == b.list && a.text == b.text;
}

// The value of `setting` after parsing `text` into a copy of `base`, read back through the row's field.
SettingValue parsed_into(const Setting& setting, const std::string& text, RunSettings base) {
    setting.set(base, parse_setting(setting, text));
    return setting.get(base);
}

bool refused(const Setting& setting, const std::string& text) {
    try {
        (void)parse_setting(setting, text);
        return false;
    } catch (const UsageError& e) {
        const std::string message = e.what();
        CHECK_MSG(message.find(std::string("--") + setting.name) != std::string::npos, message);
        return true;
    }
}

}  // namespace

int main() {
    const RunSettings initialised;  // the struct's initialisers
    const RunSettings defaults = default_run_settings();
    std::set<std::string> names;

    for (const Setting& setting : run_settings_table()) {
        const std::string name = setting.name;
        CHECK_MSG(names.insert(name).second, "--" + name + " is in the table twice");
        CHECK(find_setting(name) == &setting);

        // The default text and the initialiser agree, and default_run_settings holds them. (A text setting
        // whose default is empty, --resume, means "none" and is not a value one could type.)
        CHECK_MSG(same_value(setting.get(defaults), setting.get(initialised)), "--" + name);
        if (setting.kind == SettingKind::flag || *setting.default_text == '\0') continue;
        CHECK_MSG(same_value(parsed_into(setting, setting.default_text, initialised), setting.get(initialised)),
                  "--" + name + "'s default text \"" + setting.default_text + "\" is not RunSettings' initialiser");
        // What the header and the report print reads back as the same value ("1e-4" prints as "0.0001").
        const std::string printed = setting_text(setting, initialised);
        CHECK_MSG(same_value(parsed_into(setting, printed, initialised), setting.get(initialised)),
                  "--" + name + " prints its default as \"" + printed + "\"");

        // Ranges: a count or real just outside [low, high] is refused, with the option's name in the reason.
        if (setting.kind == SettingKind::real) {
            CHECK_MSG(refused(setting, "-1") || setting.low < 0, "--" + name + " -1");
            CHECK_MSG(refused(setting, std::to_string(setting.high * 2 + 1)), "--" + name + " above its range");
            CHECK(refused(setting, "nan"));
            CHECK(refused(setting, "0.5x"));
        }
        if (setting.kind == SettingKind::count) {
            CHECK(refused(setting, "-1"));
            CHECK(refused(setting, "12abc"));
            if (setting.high < 1e15) CHECK_MSG(refused(setting, "99999999999999999"), "--" + name);
            if (setting.low >= 1) CHECK_MSG(refused(setting, "0") || std::string(setting.choices).find("=0") !=
                                                                         std::string::npos,
                                            "--" + name + " 0");
        }
        if (setting.kind == SettingKind::choice) CHECK(refused(setting, "no-such-kind"));
    }
    // The settings that identify a run include the ones the issue named, and the others do not.
    for (const char* name : {"hidden", "init", "dropout", "l2", "lr", "batch", "seed", "augment", "rotate"})
        CHECK_MSG(find_setting(name) && find_setting(name)->identifies_run, name);
    for (const char* name : {"data", "out", "threads", "quiet", "resume"})
        CHECK_MSG(find_setting(name) && !find_setting(name)->identifies_run, name);

    // --rotate has one range: the command line and a checkpoint refuse the same values.
    const Setting& rotate = *find_setting("rotate");
    CHECK(!refused(rotate, "90"));
    CHECK(refused(rotate, "91"));

    // The checkpoint's identifying settings (format version 5, which holds every row): written and read back
    // equal; a changed one is named.
    RunSettings changed = defaults;
    changed.hidden = {32, 16};
    changed.init = InitKind::xavier;
    changed.train.dropout_rate = 0.5f;
    changed.train.seed = 7;
    ByteWriter out;
    write_identifying_settings(out, changed);
    ByteReader in(out.bytes.data(), out.bytes.size(), "settings");
    const RunSettings back = read_identifying_settings(in, 5);
    CHECK(in.position() == out.bytes.size());
    CHECK(settings_mismatch(back, changed).empty());
    for (const Setting& setting : run_settings_table())
        if (setting.identifies_run) CHECK_MSG(same_value(setting.get(back), setting.get(changed)), setting.name);
    const std::string mismatch = settings_mismatch(back, defaults);
    CHECK_MSG(mismatch.find("--hidden") != std::string::npos, mismatch);  // the first row that differs
    RunSettings other_dropout = changed;
    other_dropout.train.dropout_rate = 0.3f;
    CHECK_MSG(settings_mismatch(changed, other_dropout).find("--dropout") != std::string::npos,
              settings_mismatch(changed, other_dropout));

    // A checkpoint whose dropout is out of range is refused as the option would refuse it.
    ByteWriter bad;
    RunSettings out_of_range = defaults;
    out_of_range.train.dropout_rate = 0.99f;
    write_identifying_settings(bad, out_of_range);
    ByteReader bad_in(bad.bytes.data(), bad.bytes.size(), "checkpoint.bin");
    bool thrown = false;
    try {
        (void)read_identifying_settings(bad_in, 5);
    } catch (const InputError& e) {
        thrown = true;
        CHECK_MSG(std::string(e.what()).find("--dropout") != std::string::npos, e.what());
    }
    CHECK(thrown);

    // The header is the command line that repeats the run; settings that do not apply are left out.
    const std::string header = settings_command_line(defaults);
    CHECK_MSG(header.find("--dropout 0.3") != std::string::npos, header);
    CHECK_MSG(header.find("--init he") != std::string::npos, header);
    CHECK_MSG(header.find("--rotate") == std::string::npos, header);  // no affine augmentation
    RunSettings affine = defaults;
    affine.train.augment.kind = AugmentKind::affine;
    CHECK(settings_command_line(affine).find("--rotate 12") != std::string::npos);

    // Recipes name only options of the table, with values the table accepts.
    for (const Recipe& recipe : recipes())
        for (const auto& value : recipe.values) {
            const Setting* setting = find_setting(value.first);
            CHECK_MSG(setting != nullptr, value.first);
            if (setting) CHECK_MSG(!refused(*setting, value.second), value.first + " " + value.second);
        }
    return check_exit("test_settings");
}
