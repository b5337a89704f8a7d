#ifndef EBTOP_MAPREAD_H
#define EBTOP_MAPREAD_H

#include <stddef.h>

/* Read every entry of a hash map into freshly allocated key and value
 * arrays (caller frees). Batch lookup first, get_next_key as the fallback.
 * Returns the number of entries or -errno. */
long map_read_all(int fd, size_t key_size, size_t value_size, void **keys, void **values);
/* Delete every entry of a hash map (keys of at most 64 bytes). */
void map_clear(int fd, size_t key_size);

#endif
