/// Typed wrappers around libcurl's variadic entry points.
///
/// Swift cannot call C variadic functions, so `curl_easy_setopt` and `curl_easy_getinfo` do not
/// import. Each wrapper below fixes the type of the variadic argument, which is also what libcurl
/// expects for the option family it is used with (the pattern swift-corelibs-foundation uses).
/// Every function returns libcurl's own `CURLcode` unchanged.
#ifndef CCURL_SHIMS_H
#define CCURL_SHIMS_H

#include <curl/curl.h>

/// `CURL_GLOBAL_DEFAULT`, which is a macro expression Swift does not import.
static const long CCURL_GLOBAL_DEFAULT = CURL_GLOBAL_DEFAULT;

/// The write and header callbacks' signature: `(data, size, count, userdata) -> bytes taken`.
typedef size_t (*ccurl_data_callback)(char *data, size_t size, size_t count, void *userdata);

/// The progress callback's signature (`CURLOPT_XFERINFOFUNCTION`): non-zero aborts the transfer.
typedef int (*ccurl_xferinfo_callback)(void *userdata, curl_off_t dltotal, curl_off_t dlnow,
                                       curl_off_t ultotal, curl_off_t ulnow);

/// For options whose value is a `long` (flags, counts, milliseconds).
CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value);

/// For options whose value is a NUL-terminated string; libcurl copies it (except `CURLOPT_POSTFIELDS`).
CURLcode ccurl_setopt_string(CURL *handle, CURLoption option, const char *value);

/// For options whose value is an untyped pointer (`CURLOPT_WRITEDATA`, `CURLOPT_ERRORBUFFER`,
/// `CURLOPT_COPYPOSTFIELDS`…). The caller keeps the pointee alive as long as libcurl may use it.
CURLcode ccurl_setopt_pointer(CURL *handle, CURLoption option, void *value);

/// For options whose value is a header list (`CURLOPT_HTTPHEADER`); libcurl does not copy the list.
CURLcode ccurl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);

/// For options whose value is a `curl_off_t` (`CURLOPT_POSTFIELDSIZE_LARGE`, `CURLOPT_MAXFILESIZE_LARGE`).
CURLcode ccurl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);

/// `CURLOPT_WRITEFUNCTION`: receives the response body.
CURLcode ccurl_setopt_write_function(CURL *handle, ccurl_data_callback callback);

/// `CURLOPT_HEADERFUNCTION`: receives each response header line, status lines included.
CURLcode ccurl_setopt_header_function(CURL *handle, ccurl_data_callback callback);

/// `CURLOPT_XFERINFOFUNCTION`: called periodically during the transfer (needs `CURLOPT_NOPROGRESS` 0).
CURLcode ccurl_setopt_xferinfo_function(CURL *handle, ccurl_xferinfo_callback callback);

/// For `CURLINFO_LONG` items (`CURLINFO_RESPONSE_CODE`).
CURLcode ccurl_getinfo_long(CURL *handle, CURLINFO info, long *value);

/// For `CURLINFO_STRING` items (`CURLINFO_EFFECTIVE_URL`). The string belongs to the handle and is
/// valid until the handle's next transfer or cleanup: copy it at once.
CURLcode ccurl_getinfo_string(CURL *handle, CURLINFO info, const char **value);

/// For `CURLINFO_OFF_T` items (`CURLINFO_SIZE_DOWNLOAD_T`, `CURLINFO_TOTAL_TIME_T`).
CURLcode ccurl_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value);

#endif
