// The physical floor for `safeguard hash` on JPEGs: read each file and decode
// it with libjpeg-turbo's default settings to RGB, in one process, doing
// nothing with the pixels. Prints files, megapixels and seconds.
//   jpeg_decode_floor [--scale-min-side N] FILE...
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

#include <jpeglib.h>

int main(int argc, char** argv) {
  std::vector<const char*> files;
  for (int i = 1; i < argc; ++i) files.push_back(argv[i]);
  double megapixels = 0;
  auto start = std::chrono::steady_clock::now();
  std::vector<unsigned char> row;
  for (const char* f : files) {
    std::ifstream in(f, std::ios::binary);
    std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)), {});
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
