#include "matching/index/file_io.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace sg::matching::internal {
namespace {

Status ErrnoStatus(const std::string& what, int err) {
  std::string message = fmt::format("{}: {}", what, std::strerror(err));
  return err == ENOENT ? NotFound(std::move(message)) : IoError(std::move(message));
}

// Closes a descriptor on scope exit unless released.
struct FdCloser {
  int fd;
  ~FdCloser() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

MappedFile::~MappedFile() {
  if (data_ != nullptr) ::munmap(const_cast<std::byte*>(data_), size_);
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    MappedFile old(std::move(*this));
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

Result<MappedFile> MappedFile::Open(const std::filesystem::path& path) {
  const std::string name = path.string();
  int fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(name, errno);
  FdCloser closer{fd};
  struct stat st;
  if (::fstat(fd, &st) != 0) return ErrnoStatus(name, errno);
  if (!S_ISREG(st.st_mode)) return IoError(name + ": not a regular file");
  MappedFile file;
  if (st.st_size == 0) return file;
  // MAP_POPULATE maps every page now, in one system call, instead of taking
  // a page fault per 4 KiB on first touch: the checksum reads every byte at
  // Open anyway, and queries then never fault.
  void* p = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_SHARED | MAP_POPULATE, fd, 0);
  if (p == MAP_FAILED) return ErrnoStatus(name + ": mmap", errno);
  file.data_ = static_cast<const std::byte*>(p);
  file.size_ = static_cast<size_t>(st.st_size);
  return file;
}

Status FileSink::Append(std::span<const std::byte> bytes) {
  while (!bytes.empty()) {
    ssize_t k = ::write(fd_, bytes.data(), std::min<size_t>(bytes.size(), size_t{1} << 30));
    if (k < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(name_ + ": write", errno);
    }
    bytes = bytes.subspan(static_cast<size_t>(k));
  }
  return Status::Ok();
}

Status WriteFileAtomically(const std::filesystem::path& path,
                           const std::function<Status(FileSink&)>& fill) {
  const std::string name = path.string();
  std::filesystem::path dir = path.parent_path();
  if (dir.empty()) dir = ".";
  std::string tmp = (dir / ("." + path.filename().string() + ".tmp.XXXXXX")).string();
  int fd = ::mkostemp(tmp.data(), O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(name + ": creating a temporary file", errno);
  Status status;
  {
    FdCloser closer{fd};
    FileSink sink(fd, tmp);
    status = fill(sink);
    if (status.ok() && ::fsync(fd) != 0) status = ErrnoStatus(tmp + ": fsync", errno);
    if (status.ok()) {
      closer.fd = -1;
      if (::close(fd) != 0) status = ErrnoStatus(tmp + ": close", errno);
    }
  }
  if (status.ok() && ::rename(tmp.c_str(), name.c_str()) != 0) {
    status = ErrnoStatus(name + ": rename", errno);
  }
  if (!status.ok()) {
    ::unlink(tmp.c_str());
    return status;
  }
  // Make the rename itself durable.
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    FdCloser dir_closer{dfd};
    if (::fsync(dfd) != 0) return ErrnoStatus(dir.string() + ": fsync", errno);
  }
  return Status::Ok();
}

}  // namespace sg::matching::internal
