// png-check FILE WIDTH HEIGHT: exits 0 when FILE is a PNG of that size that is not blank (many
// distinct colours, no single colour covering nearly everything), else prints why and exits 1.
// Used by the GUI smoke test on asof-gui's screenshot.
#include <stb_image.h>

#include <cstdio>
#include <cstdlib>
#include <map>

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: png-check FILE WIDTH HEIGHT\n");
        return 2;
    }
    int width = 0, height = 0, channels = 0;
    unsigned char* pixels = stbi_load(argv[1], &width, &height, &channels, 3);
    if (!pixels) {
        std::fprintf(stderr, "png-check: %s: not a readable PNG (%s)\n", argv[1],
                     stbi_failure_reason());
        return 1;
    }
    int code = 0;
    if (width != std::atoi(argv[2]) || height != std::atoi(argv[3])) {
        std::fprintf(stderr, "png-check: %s is %dx%d, expected %sx%s\n", argv[1], width, height,
                     argv[2], argv[3]);
        code = 1;
    }
    std::map<unsigned, long> colours;
    const long total = static_cast<long>(width) * height;
    for (long i = 0; i < total; ++i) {
        const unsigned char* p = pixels + i * 3;
        ++colours[(unsigned{p[0]} << 16) | (unsigned{p[1]} << 8) | p[2]];
    }
    long most = 0;
    for (const auto& [colour, count] : colours)
        if (count > most) most = count;
    std::printf("png-check: %dx%d, %zu colours, the commonest covers %.1f%%\n", width, height,
                colours.size(), 100.0 * static_cast<double>(most) / static_cast<double>(total));
    if (colours.size() < 64 || most * 100 > total * 92) {
        std::fprintf(stderr, "png-check: %s looks blank\n", argv[1]);
        code = 1;
    }
    stbi_image_free(pixels);
    return code;
}
