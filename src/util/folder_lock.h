// Keeping two runs out of one output folder: a run that writes into a folder (train, eda, augment-preview)
// first takes its lock, and a second run into the same folder is refused at once with a message, rather
// than the two overwriting each other's files. The lock is the operating system's (flock on POSIX
// systems), so it ends with the process however the process ends; the lock file is removed when the run
// releases it. The one place besides util/terminal.cpp that calls the operating system. See README.md.
#pragma once

#include <string>

namespace mnist {

class FolderLock {
public:
    // Takes the lock on `dir` (which must exist) through the file dir/.mnist-lock. Throws SystemError
    // ("<dir>: another mnist run is writing into this folder ...") when another run holds it, or naming
    // the reason when the lock file cannot be created (a read-only folder, say).
    explicit FolderLock(const std::string& dir);
    ~FolderLock();  // releases the lock and removes the lock file
    FolderLock(const FolderLock&) = delete;
    FolderLock& operator=(const FolderLock&) = delete;

private:
    std::string path_;
    int handle_ = -1;  // the open lock file (a POSIX descriptor; elsewhere 0 while held)
};

}  // namespace mnist
