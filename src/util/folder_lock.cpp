// The folder lock. On POSIX systems: open (creating) dir/.mnist-lock and take flock's exclusive lock
// without waiting. Another process (or another open of the file) holding it means another run. The lock
// file is unlinked before the lock is released, so a run that opened the file just before and then got
// the lock would hold a lock on a file no longer in the folder: after taking the lock, the descriptor's
// file must still be the one at the path, else it tries again. On a file system that has no locks (flock
// fails with ENOLCK or EOPNOTSUPP, as on some network file systems) the run goes on unlocked. Elsewhere: the lock file is created
// exclusively (fopen "wx") and removed at the end; a run killed without cleaning up leaves it, and the
// message says to remove it then.
#include "util/folder_lock.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "util/check.h"

#if defined(__unix__) || defined(__APPLE__)
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#define MNIST_FLOCK 1
#else
#define MNIST_FLOCK 0
#endif

namespace mnist {

namespace {

std::string busy_message(const std::string& dir, const std::string& path) {
    return dir + ": another mnist run is writing into this folder (it holds " + path +
           "); wait for it to finish or choose another folder";
}

}  // namespace

FolderLock::FolderLock(const std::string& dir) : path_(dir + "/.mnist-lock") {
#if MNIST_FLOCK
    for (int attempt = 0; attempt < 100; ++attempt) {
        errno = 0;
        const int fd = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) throw SystemError(dir + ": cannot create files in it (" + std::strerror(errno) + ")");
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
            const int error = errno;
            if (error == ENOLCK || error == EOPNOTSUPP) {  // a file system without locks (some network ones):
                handle_ = fd;                               // the run goes on unlocked, as it always did
                return;
            }
            ::close(fd);
            if (error == EWOULDBLOCK) throw SystemError(busy_message(dir, path_));
            throw SystemError(path_ + ": cannot lock it (" + std::strerror(error) + ")");
        }
        struct stat held, there;
        if (::fstat(fd, &held) == 0 && ::stat(path_.c_str(), &there) == 0 && held.st_dev == there.st_dev &&
            held.st_ino == there.st_ino) {
            handle_ = fd;
            return;
        }
        ::close(fd);  // the file was removed by the run that just released it: try again
    }
    throw SystemError(path_ + ": cannot lock it (it keeps being replaced)");
#else
    errno = 0;
    std::FILE* file = std::fopen(path_.c_str(), "wx");
    if (file == nullptr) {
        if (errno == EEXIST)
            throw SystemError(busy_message(dir, path_) + " (if no run is, an earlier one was killed: remove the file)");
        throw SystemError(dir + ": cannot create files in it (" + std::strerror(errno) + ")");
    }
    std::fclose(file);
    handle_ = 0;
#endif
}

FolderLock::~FolderLock() {
    if (handle_ < 0) return;
    std::remove(path_.c_str());
#if MNIST_FLOCK
    ::close(handle_);  // closing the last descriptor releases the lock
#endif
}

}  // namespace mnist
