/*
 * ngx_http_lanes_module: the variable $lanes_native_lane, the lane a request asks for in its tracestate or baggage
 * (every field of each, joined as RFC 9110 section 5.3 says), read by lanes_parse.c. It replaces the njs call per
 * request of the nginx engine (njs/lanes.js `tag`); nginx 1.22 (Debian 12) shows only the first of repeated
 * fields in $http_tracestate, so a `map` over that variable would read the wrong lane.
 *
 *   lanes_carriers tracestate baggage;   # order of precedence, as the gateway's `carriers` (default: both)
 *   lanes_trace_context_level 2;         # W3C Trace Context level of the tracestate grammar (1 or 2, default 2)
 *
 * Module API: https://nginx.org/en/docs/dev/development_guide.html#http_variables
 */
#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "lanes_parse.h"

typedef struct {
  ngx_uint_t carriers[2];
  ngx_uint_t ncarriers;
  ngx_int_t level;
} ngx_http_lanes_main_conf_t;

static ngx_int_t ngx_http_lanes_add_variables(ngx_conf_t *cf);
static void *ngx_http_lanes_create_main_conf(ngx_conf_t *cf);
static char *ngx_http_lanes_init_main_conf(ngx_conf_t *cf, void *conf);
static char *ngx_http_lanes_carriers(ngx_conf_t *cf, ngx_command_t *cmd, void *conf);
static char *ngx_http_lanes_level(ngx_conf_t *cf, ngx_command_t *cmd, void *conf);

static ngx_command_t ngx_http_lanes_commands[] = {
    {ngx_string("lanes_carriers"), NGX_HTTP_MAIN_CONF | NGX_CONF_TAKE12, ngx_http_lanes_carriers,
     NGX_HTTP_MAIN_CONF_OFFSET, 0, NULL},
    {ngx_string("lanes_trace_context_level"), NGX_HTTP_MAIN_CONF | NGX_CONF_TAKE1, ngx_http_lanes_level,
     NGX_HTTP_MAIN_CONF_OFFSET, 0, NULL},
    ngx_null_command};

static ngx_http_module_t ngx_http_lanes_module_ctx = {
    ngx_http_lanes_add_variables,    /* preconfiguration */
    NULL,                            /* postconfiguration */
    ngx_http_lanes_create_main_conf, /* create main configuration */
    ngx_http_lanes_init_main_conf,   /* init main configuration */
    NULL,                            /* create server configuration */
    NULL,                            /* merge server configuration */
    NULL,                            /* create location configuration */
    NULL                             /* merge location configuration */
};

ngx_module_t ngx_http_lanes_module = {NGX_MODULE_V1,
                                      &ngx_http_lanes_module_ctx,
                                      ngx_http_lanes_commands,
                                      NGX_HTTP_MODULE,
                                      NULL,
                                      NULL,
                                      NULL,
                                      NULL,
                                      NULL,
                                      NULL,
                                      NULL,
                                      NGX_MODULE_V1_PADDING};

static ngx_str_t ngx_http_lanes_variable_name = ngx_string("lanes_native_lane");

/*
 * The combined value of every field named `name` (case-insensitive): the field itself when there is one, else the
 * fields joined with "," in a buffer from the request pool. NULL (with *len 0) when absent or longer than
 * LANES_MAX_INPUT, which the parsers refuse whole as header-value.ts does.
 */
static u_char *ngx_http_lanes_combined(ngx_http_request_t *r, const char *name, size_t name_len, size_t *len) {
  ngx_list_part_t *part;
  ngx_table_elt_t *h, *first = NULL;
  ngx_uint_t i, fields = 0;
  size_t total = 0;
  u_char *buf, *p;

  *len = 0;
  for (part = &r->headers_in.headers.part; part != NULL; part = part->next) {
    h = part->elts;
    for (i = 0; i < part->nelts; i++) {
      if (h[i].hash == 0 || h[i].key.len != name_len || ngx_strncasecmp(h[i].key.data, (u_char *)name, name_len) != 0)
        continue;
      total += (fields > 0 ? 1 : 0) + h[i].value.len;
      if (total > LANES_MAX_INPUT) return NULL;
      if (fields++ == 0) first = &h[i];
    }
  }
  if (fields == 0) return NULL;
  if (fields == 1) {
    *len = first->value.len;
    return first->value.data;
  }
  buf = ngx_pnalloc(r->pool, total > 0 ? total : 1);
  if (buf == NULL) return NULL;
  p = buf;
  fields = 0;
  for (part = &r->headers_in.headers.part; part != NULL; part = part->next) {
    h = part->elts;
    for (i = 0; i < part->nelts; i++) {
      if (h[i].hash == 0 || h[i].key.len != name_len || ngx_strncasecmp(h[i].key.data, (u_char *)name, name_len) != 0)
        continue;
      /* Same fields as the first pass, so p never passes buf + total. */
      if (fields++ > 0) *p++ = ',';
      p = ngx_cpymem(p, h[i].value.data, h[i].value.len);
    }
  }
  *len = (size_t)(p - buf);
  return buf;
}

static ngx_int_t ngx_http_lanes_lane_variable(ngx_http_request_t *r, ngx_http_variable_value_t *v, uintptr_t data) {
  ngx_http_lanes_main_conf_t *lmcf = ngx_http_get_module_main_conf(r, ngx_http_lanes_module);
  u_char lane[LANES_MAX_LANE];
  u_char *value;
  size_t value_len, lane_len = 0;
  ngx_uint_t k;

  (void)data;
  for (k = 0; k < lmcf->ncarriers && lane_len == 0; k++) {
    if (lmcf->carriers[k] == LANES_TRACESTATE) {
      value = ngx_http_lanes_combined(r, "tracestate", sizeof("tracestate") - 1, &value_len);
      lane_len = lanes_from_tracestate(value, value_len, (int)lmcf->level, lane);
    } else {
      value = ngx_http_lanes_combined(r, "baggage", sizeof("baggage") - 1, &value_len);
      lane_len = lanes_from_baggage(value, value_len, lane);
    }
  }
  v->valid = 1;
  v->no_cacheable = 0;
  v->not_found = 0;
  v->len = 0;
  v->data = (u_char *)"";
  if (lane_len > 0) {
    v->data = ngx_pnalloc(r->pool, lane_len);
    if (v->data == NULL) return NGX_ERROR;
    ngx_memcpy(v->data, lane, lane_len);
    v->len = lane_len;
  }
  return NGX_OK;
}

static ngx_int_t ngx_http_lanes_add_variables(ngx_conf_t *cf) {
  ngx_http_variable_t *var = ngx_http_add_variable(cf, &ngx_http_lanes_variable_name, 0);
  if (var == NULL) return NGX_ERROR;
  var->get_handler = ngx_http_lanes_lane_variable;
  return NGX_OK;
}

static void *ngx_http_lanes_create_main_conf(ngx_conf_t *cf) {
  ngx_http_lanes_main_conf_t *conf = ngx_pcalloc(cf->pool, sizeof(ngx_http_lanes_main_conf_t));
  if (conf == NULL) return NULL;
  conf->ncarriers = NGX_CONF_UNSET_UINT;
  conf->level = NGX_CONF_UNSET;
  return conf;
}

static char *ngx_http_lanes_init_main_conf(ngx_conf_t *cf, void *conf) {
  ngx_http_lanes_main_conf_t *lmcf = conf;
  (void)cf;
  if (lmcf->ncarriers == NGX_CONF_UNSET_UINT) {
    lmcf->carriers[0] = LANES_TRACESTATE;
    lmcf->carriers[1] = LANES_BAGGAGE;
    lmcf->ncarriers = 2;
  }
  if (lmcf->level == NGX_CONF_UNSET) lmcf->level = 2;
  return NGX_CONF_OK;
}

static char *ngx_http_lanes_carriers(ngx_conf_t *cf, ngx_command_t *cmd, void *conf) {
  ngx_http_lanes_main_conf_t *lmcf = conf;
  ngx_str_t *args = cf->args->elts;
  ngx_uint_t i, carrier;

  (void)cmd;
  if (lmcf->ncarriers != NGX_CONF_UNSET_UINT) return "is duplicate";
  lmcf->ncarriers = 0;
  for (i = 1; i < cf->args->nelts; i++) {
    if (args[i].len == 10 && ngx_strncmp(args[i].data, "tracestate", 10) == 0) {
      carrier = LANES_TRACESTATE;
    } else if (args[i].len == 7 && ngx_strncmp(args[i].data, "baggage", 7) == 0) {
      carrier = LANES_BAGGAGE;
    } else {
      ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "lanes_carriers: \"%V\" is neither tracestate nor baggage", &args[i]);
      return NGX_CONF_ERROR;
    }
    if (lmcf->ncarriers == 1 && lmcf->carriers[0] == carrier) return "names a carrier twice";
    lmcf->carriers[lmcf->ncarriers++] = carrier;
  }
  return NGX_CONF_OK;
}

static char *ngx_http_lanes_level(ngx_conf_t *cf, ngx_command_t *cmd, void *conf) {
  ngx_http_lanes_main_conf_t *lmcf = conf;
  ngx_str_t *args = cf->args->elts;

  (void)cmd;
  if (lmcf->level != NGX_CONF_UNSET) return "is duplicate";
  if (args[1].len != 1 || (args[1].data[0] != '1' && args[1].data[0] != '2')) {
    ngx_conf_log_error(NGX_LOG_EMERG, cf, 0, "lanes_trace_context_level: expected 1 or 2, got \"%V\"", &args[1]);
    return NGX_CONF_ERROR;
  }
  lmcf->level = args[1].data[0] - '0';
  return NGX_CONF_OK;
}
