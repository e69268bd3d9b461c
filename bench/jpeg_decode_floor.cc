// The physical floor for `safeguard hash` on JPEGs: read each file (one
// read() into a reused buffer) and decode it with libjpeg-turbo's default
// settings to RGB, in one process, doing nothing with the pixels. Prints
// files, megapixels and seconds.
//   jpeg_decode_floor FILE...
// malloc keeps freed memory for reuse, as `safeguard hash` asks it to, so
// both pay the same for libjpeg's per-image allocations.
#include <fcntl.h>
#include <malloc.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <jpeglib.h>

namespace {
bool ReadFile(const char* path, std::vector<unsigned char>& bytes) {
  const int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st;
  bool ok = fstat(fd, &st) == 0;
  if (ok) {
    bytes.resize(static_cast<size_t>(st.st_size));
    size_t got = 0;
    while (ok && got < bytes.size()) {
      const ssize_t n = read(fd, bytes.data() + got, bytes.size() - got);
      ok = n > 0;
      if (ok) got += static_cast<size_t>(n);
    }
  }
  close(fd);
  return ok;
}
}  // namespace

int main(int argc, char** argv) {
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  std::vector<const char*> files;
  for (int i = 1; i < argc; ++i) files.push_back(argv[i]);
  double megapixels = 0;
  auto start = std::chrono::steady_clock::now();
  std::vector<unsigned char> row, bytes;
  for (const char* f : files) {
    if (!ReadFile(f, bytes)) {
      std::fprintf(stderr, "jpeg_decode_floor: cannot read %s\n", f);
      return 1;
    }
    jpeg_decompress_struct cinfo;
    jpeg_error_mgr err;
    cinfo.err = jpeg_std_error(&err);
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, bytes.data(), bytes.size());
    jpeg_read_header(&cinfo, TRUE);
    if (cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK) {
      cinfo.out_color_space = JCS_CMYK;
    } else if (cinfo.jpeg_color_space != JCS_GRAYSCALE) {
      cinfo.out_color_space = JCS_RGB;
    }
    jpeg_start_decompress(&cinfo);
    row.resize(size_t(cinfo.output_width) * cinfo.output_components);
    while (cinfo.output_scanline < cinfo.output_height) {
      JSAMPROW r = row.data();
      jpeg_read_scanlines(&cinfo, &r, 1);
    }
    megapixels += double(cinfo.output_width) * cinfo.output_height / 1e6;
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%zu %.1f %.4f\n", files.size(), megapixels, secs);
  return 0;
}
