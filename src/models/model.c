/* model.c - customer-value models: public API, input validation, compression
 * of identical rows into weights, fitting and standard errors. The formulas
 * of each model live in model_<name>.c.
 *
 * Fitting. Parameters are estimated on their logarithms (so they stay
 * positive) by BFGS (optimize.c) minimising
 *     f(theta) = -loglik(exp(theta)) / W + l2_penalty * sum_i theta_i^2,
 * W the number of customers: the mean negative log-likelihood per customer
 * plus an optional ridge penalty on the log-parameters, which shrinks every
 * parameter towards 1 (in the data's time unit) with a strength that does
 * not depend on the number of customers. BG/NBD, MBG/NBD and Gamma-Gamma have
 * analytic gradients; Pareto/NBD uses finite differences (forward far from
 * the optimum, central near it). Converged means
 * max |df/dtheta| <= tolerance * max(1, |f|). The reported log-likelihood is
 * the unpenalised total.
 *
 * Standard errors: from the inverse of the negative Hessian of the total
 * log-likelihood in the natural parameters, obtained from finite differences
 * in log space (of the analytic gradient where there is one) and mapped to
 * natural space exactly: H_nat = D^-1 (H_log - diag(grad_log)) D^-1, D = diag(params).
 *
 * Bad-record reports name the row (record = row index, input CRM_INPUT_NONE)
 * and the column: x and weight as CRM_FIELD_VALUE, t_x and T as
 * CRM_FIELD_TIME, spend as CRM_FIELD_AMOUNT; reason CRM_FATE_NONFINITE or
 * CRM_FATE_VALUE_RANGE. */
#include "models/models.h"
#include "models/optimize.h"
#include "models/special.h"

#include <math.h>
#include <string.h>

/* Log-parameters are kept within +-40: every parameter stays finite and positive. */
#define CRM_MODEL_LOG_BOUND 40.0

static const crm__model_ops *ops_of(int kind) {
    switch (kind) {
    case CRM_MODEL_KIND_BGNBD: return &crm__bgnbd_ops;
    case CRM_MODEL_KIND_MBGNBD: return &crm__mbgnbd_ops;
    case CRM_MODEL_KIND_PARETO_NBD: return &crm__paretonbd_ops;
    case CRM_MODEL_KIND_GAMMA_GAMMA: return &crm__gammagamma_ops;
    default: return NULL;
    }
}

static const char *model_label(int kind) {
    switch (kind) {
    case CRM_MODEL_KIND_BGNBD: return "BG/NBD";
    case CRM_MODEL_KIND_MBGNBD: return "MBG/NBD";
    case CRM_MODEL_KIND_PARETO_NBD: return "Pareto/NBD";
    default: return "Gamma-Gamma";
    }
}

/* ---- reading and checking the strided columns ---- */

/* NEED_SPEND: spend > 0 where x > 0 (Gamma-Gamma conditions on it);
 * NEED_SPEND_FINITE: any finite value where x > 0 (an expected spend for CLV). */
enum { NEED_X = 1, NEED_TIMES = 2, NEED_SPEND = 4, USE_WEIGHT = 8, NEED_SPEND_FINITE = 16 };

static double col_at(const double *base, size_t stride, size_t i) {
    double v;
    /* memcpy: a caller's stride need not keep doubles aligned */
    memcpy(&v, (const char *)base + i * (stride ? stride : sizeof(double)), sizeof v);
    return v;
}

static crm_status check_columns(const crm_model_data *d, unsigned need, crm_error *err) {
    if (d == NULL) {
        (void)crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "model data is NULL");
        return CRM_STATUS_INVALID_ARGUMENT; /* spelled out for the static analyser */
    }
    /* The first version with struct_size: every caller's struct is at least this large. */
    if (d->struct_size < sizeof(crm_model_data))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "model data: struct_size is %zu (start from crm_model_data_init)", d->struct_size);
    if (d->count == 0) return CRM_STATUS_OK;
    if ((need & NEED_X) && d->x == NULL)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "model data has no x column");
    if ((need & NEED_TIMES) && (d->t_x == NULL || d->T == NULL))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "model data has no t_x or T column");
    if ((need & (NEED_SPEND | NEED_SPEND_FINITE)) && d->spend == NULL)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "model data has no spend column");
    if (d->count > UINT32_MAX)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "more than 2^32 - 1 model rows");
    return CRM_STATUS_OK;
}

static crm_status bad_row(crm_error *err, size_t i, int field, int reason, const char *what) {
    return crm__fail_record(err, CRM_STATUS_BAD_RECORD, CRM_INPUT_NONE, (int64_t)i, field, reason,
                            "model row %lu: %s", (unsigned long)i, what);
}

static crm_status check_row(const crm_model_data *d, size_t i, unsigned need, crm_error *err) {
    double x = col_at(d->x, d->x_stride, i);
    if (!isfinite(x)) return bad_row(err, i, CRM_FIELD_VALUE, CRM_FATE_NONFINITE, "x is not finite");
    if (x < 0 || floor(x) != x)
        return bad_row(err, i, CRM_FIELD_VALUE, CRM_FATE_VALUE_RANGE, "x is not a whole number >= 0");
    if (need & NEED_TIMES) {
        double tx = col_at(d->t_x, d->t_x_stride, i), T = col_at(d->T, d->T_stride, i);
        if (!isfinite(tx) || !isfinite(T))
            return bad_row(err, i, CRM_FIELD_TIME, CRM_FATE_NONFINITE, "t_x or T is not finite");
        if (tx < 0 || T < 0)
            return bad_row(err, i, CRM_FIELD_TIME, CRM_FATE_VALUE_RANGE, "t_x or T is negative");
        if (tx > T) return bad_row(err, i, CRM_FIELD_TIME, CRM_FATE_VALUE_RANGE, "t_x is greater than T");
        if (x == 0 && tx > 0)
            return bad_row(err, i, CRM_FIELD_TIME, CRM_FATE_VALUE_RANGE, "t_x > 0 without a repeat purchase");
    }
    if ((need & (NEED_SPEND | NEED_SPEND_FINITE)) && x > 0) { /* not used (often 0 or NaN) where x = 0 */
        double m = col_at(d->spend, d->spend_stride, i);
        if (!isfinite(m)) return bad_row(err, i, CRM_FIELD_AMOUNT, CRM_FATE_NONFINITE, "spend is not finite");
        if ((need & NEED_SPEND) && m <= 0)
            return bad_row(err, i, CRM_FIELD_AMOUNT, CRM_FATE_VALUE_RANGE, "spend <= 0 with x > 0");
    }
    if ((need & USE_WEIGHT) && d->weight) {
        double w = col_at(d->weight, d->weight_stride, i);
        if (!isfinite(w)) return bad_row(err, i, CRM_FIELD_VALUE, CRM_FATE_NONFINITE, "weight is not finite");
        if (w < 0) return bad_row(err, i, CRM_FIELD_VALUE, CRM_FATE_VALUE_RANGE, "weight is negative");
    }
    return CRM_STATUS_OK;
}

static crm_status check_rows(const crm_model_data *d, unsigned need, crm_error *err) {
    for (size_t i = 0; i < d->count; i++) {
        crm_status st = check_row(d, i, need, err);
        if (st != CRM_STATUS_OK) return st;
    }
    return CRM_STATUS_OK;
}

/* ---- compression: sort + merge identical rows ---- */

typedef struct kv {
    uint64_t key;
    uint64_t val;
} kv;

/* Bits of a non-negative double: their unsigned order is the numeric order
 * (adding +0.0 turns -0.0 into +0.0 first). */
static uint64_t dbits(double v) {
    uint64_t b;
    v += 0.0;
    memcpy(&b, &v, sizeof b);
    return b;
}

static double bits_to_double(uint64_t b) {
    double v;
    memcpy(&v, &b, sizeof v);
    return v;
}

/* Which bits vary over a column: only those need sorting. */
typedef struct bitrange {
    uint64_t base; /* bits of the first value */
    uint64_t var;  /* OR of (bits ^ base) */
    unsigned lo, width;
} bitrange;

static void bitrange_finish(bitrange *b) {
    b->lo = 0;
    b->width = 0;
    if (b->var == 0) return;
    while (!((b->var >> b->lo) & 1)) b->lo++;
    unsigned hi = 64;
    while (!((b->var >> (hi - 1)) & 1)) hi--;
    b->width = hi - b->lo;
}

static uint64_t bitrange_part(const bitrange *b, uint64_t bits) {
    if (b->width == 0) return 0;
    uint64_t v = bits >> b->lo;
    return b->width >= 64 ? v : v & ((UINT64_C(1) << b->width) - 1);
}

static uint64_t bitrange_join(const bitrange *b, uint64_t part) {
    if (b->width == 0) return b->base;
    uint64_t mask = b->width >= 64 ? ~UINT64_C(0) : ((UINT64_C(1) << b->width) - 1);
    return (b->base & ~(mask << b->lo)) | (part << b->lo);
}

/* Stable LSD radix sort on the low `bits` bits of the keys, one byte per
 * pass, skipping the bytes every key shares (day-resolution data varies in
 * few bytes). Returns whichever of a and tmp holds the result. */
static kv *radix_sort(kv *a, kv *tmp, size_t n, unsigned bits) {
    size_t count[8][256];
    unsigned passes = (bits + 7) / 8;
    if (passes > 8) passes = 8;
    memset(count, 0, sizeof count);
    for (size_t i = 0; i < n; i++) {
        uint64_t k = a[i].key;
        for (unsigned p = 0; p < passes; p++) count[p][(k >> (8 * p)) & 0xff]++;
    }
    for (unsigned p = 0; p < passes; p++) {
        size_t *c = count[p], sum = 0;
        int trivial = 0;
        for (int j = 0; j < 256; j++)
            if (c[j] == n) trivial = 1;
        if (trivial) continue;
        for (int j = 0; j < 256; j++) {
            size_t v = c[j];
            c[j] = sum;
            sum += v;
        }
        for (size_t i = 0; i < n; i++) tmp[c[(a[i].key >> (8 * p)) & 0xff]++] = a[i];
        kv *t = a;
        a = tmp;
        tmp = t;
    }
    return a;
}

void crm__rows_free(const crm_allocator *a, crm__rows *r) {
    crm__free(a, r->x);   /* block holding every double column */
    crm__free(a, r->itx); /* block holding itx and iT */
    crm__free(a, r->times);
    crm__free(a, r->gstart);
    crm__free(a, r->work);
    crm__free(a, r->stamp);
    memset(r, 0, sizeof *r);
}

typedef struct colset {
    const double *col[3];
    size_t stride[3];
    size_t n;
} colset;

static uint64_t colset_bits(const colset *cs, size_t c, size_t row) {
    return dbits(col_at(cs->col[c], cs->stride[c], row));
}

static double weight_at(const crm_model_data *d, size_t i) {
    return d->weight ? col_at(d->weight, d->weight_stride, i) : 1.0;
}

/* Build r->times (distinct t_x and T values) and the per-row indices. */
static crm_status build_times(const crm_allocator *A, crm__rows *r) {
    size_t n2 = 2 * r->n;
    bitrange br = {dbits(r->tx[0]), 0, 0, 0};
    for (size_t i = 0; i < r->n; i++) br.var |= (dbits(r->tx[i]) ^ br.base) | (dbits(r->T[i]) ^ br.base);
    bitrange_finish(&br);
    kv *a = crm__alloc(A, n2 * sizeof *a);
    kv *tmp = crm__alloc(A, n2 * sizeof *tmp);
    if (!a || !tmp) {
        crm__free(A, a);
        crm__free(A, tmp);
        return CRM_STATUS_NO_MEMORY;
    }
    for (size_t i = 0; i < r->n; i++) {
        a[2 * i].key = bitrange_part(&br, dbits(r->tx[i]));
        a[2 * i].val = 2 * i;
        a[2 * i + 1].key = bitrange_part(&br, dbits(r->T[i]));
        a[2 * i + 1].val = 2 * i + 1;
    }
    kv *s = radix_sort(a, tmp, n2, br.width);
    size_t nt = 0;
    for (size_t k = 0; k < n2; k++)
        if (k == 0 || s[k].key != s[k - 1].key) nt++;
    r->times = crm__alloc(A, nt * sizeof *r->times);
    if (!r->times) {
        crm__free(A, a);
        crm__free(A, tmp);
        return CRM_STATUS_NO_MEMORY;
    }
    size_t j = 0;
    for (size_t k = 0; k < n2; k++) {
        if (k > 0 && s[k].key != s[k - 1].key) j++;
        if (k == 0 || s[k].key != s[k - 1].key) r->times[j] = bits_to_double(bitrange_join(&br, s[k].key));
        size_t row = (size_t)(s[k].val >> 1);
        if (s[k].val & 1)
            r->iT[row] = (uint32_t)j;
        else
            r->itx[row] = (uint32_t)j;
    }
    r->ntimes = nt;
    crm__free(A, a);
    crm__free(A, tmp);
    return CRM_STATUS_OK;
}

/* Compress the usable rows of d (weight > 0; for Gamma-Gamma x > 0) into r,
 * sorted by (x, t_x, T) or (x, spend). CRM_STATUS_NO_DATA when none is usable. */
static crm_status compress(const crm_allocator *A, const crm_model_data *d, int gg, crm__rows *r) {
    colset cs;
    size_t ncol = gg ? 2 : 3;
    memset(r, 0, sizeof *r);
    cs.col[0] = d->x;
    cs.stride[0] = d->x_stride;
    if (gg) {
        cs.col[1] = d->spend;
        cs.stride[1] = d->spend_stride;
        cs.col[2] = NULL;
        cs.stride[2] = 0;
    } else {
        cs.col[1] = d->t_x;
        cs.stride[1] = d->t_x_stride;
        cs.col[2] = d->T;
        cs.stride[2] = d->T_stride;
    }
    cs.n = d->count;
    bitrange br[3];
    memset(br, 0, sizeof br);
    size_t used = 0;
    for (size_t i = 0; i < d->count; i++) {
        if (!(weight_at(d, i) > 0)) continue;
        if (gg && col_at(d->x, d->x_stride, i) == 0) continue;
        for (size_t c = 0; c < ncol; c++) {
            uint64_t b = colset_bits(&cs, c, i);
            if (used == 0)
                br[c].base = b;
            else
                br[c].var |= b ^ br[c].base;
        }
        used++;
    }
    if (used == 0) return CRM_STATUS_NO_DATA;
    unsigned total = 0;
    for (size_t c = 0; c < ncol; c++) {
        bitrange_finish(&br[c]);
        total += br[c].width;
    }
    kv *a = crm__alloc(A, used * sizeof *a);
    kv *tmp = crm__alloc(A, used * sizeof *tmp);
    if (!a || !tmp) {
        crm__free(A, a);
        crm__free(A, tmp);
        return CRM_STATUS_NO_MEMORY;
    }
    int packed = total <= 64;
    size_t k = 0;
    for (size_t i = 0; i < d->count; i++) {
        double w = weight_at(d, i);
        if (!(w > 0)) continue;
        if (gg && col_at(d->x, d->x_stride, i) == 0) continue;
        if (packed) {
            /* Every varying bit of every column in one key, x most significant. */
            uint64_t key = 0;
            for (size_t c = 0; c < ncol; c++) {
                if (br[c].width == 0) continue;
                key = (br[c].width >= 64 ? 0 : key << br[c].width) |
                      bitrange_part(&br[c], colset_bits(&cs, c, i));
            }
            a[k].key = key;
            memcpy(&a[k].val, &w, sizeof w);
        } else {
            a[k].key = bitrange_part(&br[ncol - 1], colset_bits(&cs, ncol - 1, i));
            a[k].val = i;
        }
        k++;
    }
    kv *s;
    if (packed) {
        s = radix_sort(a, tmp, used, total);
    } else {
        /* Column by column, least significant first: stable sorts compose. */
        s = radix_sort(a, tmp, used, br[ncol - 1].width);
        for (size_t c = ncol - 1; c-- > 0;) {
            for (size_t j = 0; j < used; j++)
                s[j].key = bitrange_part(&br[c], colset_bits(&cs, c, (size_t)s[j].val));
            kv *other = s == a ? tmp : a;
            s = radix_sort(s, other, used, br[c].width);
        }
    }
    /* Count distinct rows. */
    size_t u = 0;
    for (size_t j = 0; j < used; j++) {
        int same = 0;
        if (j > 0) {
            if (packed) {
                same = s[j].key == s[j - 1].key;
            } else {
                same = 1;
                for (size_t c = 0; c < ncol && same; c++)
                    same = colset_bits(&cs, c, (size_t)s[j].val) == colset_bits(&cs, c, (size_t)s[j - 1].val);
            }
        }
        if (!same) u++;
    }
    /* One block for the four double columns: x, w and (t_x, T) or (m, log m). */
    r->x = crm__alloc(A, 4 * u * sizeof(double));
    if (!r->x) {
        crm__free(A, a);
        crm__free(A, tmp);
        return CRM_STATUS_NO_MEMORY;
    }
    r->w = r->x + u;
    if (gg) {
        r->m = r->x + 2 * u;
        r->logm = r->x + 3 * u;
    } else {
        r->tx = r->x + 2 * u;
        r->T = r->x + 3 * u;
    }
    r->n = u;
    size_t o = (size_t)-1;
    for (size_t j = 0; j < used; j++) {
        uint64_t bits[3];
        double w;
        if (packed) {
            uint64_t key = s[j].key;
            for (size_t c = ncol; c-- > 0;) {
                uint64_t part = br[c].width >= 64 ? key : key & ((UINT64_C(1) << br[c].width) - 1);
                if (br[c].width == 0) part = 0;
                bits[c] = bitrange_join(&br[c], part);
                key = br[c].width >= 64 ? 0 : key >> br[c].width;
            }
            memcpy(&w, &s[j].val, sizeof w);
        } else {
            for (size_t c = 0; c < ncol; c++) bits[c] = colset_bits(&cs, c, (size_t)s[j].val);
            w = weight_at(d, (size_t)s[j].val);
        }
        double x = bits_to_double(bits[0]), v1 = bits_to_double(bits[1]);
        double v2 = ncol > 2 ? bits_to_double(bits[2]) : 0;
        int same =
            o != (size_t)-1 && r->x[o] == x && (gg ? r->m[o] == v1 : (r->tx[o] == v1 && r->T[o] == v2));
        if (!same) {
            o++;
            r->x[o] = x;
            r->w[o] = 0;
            if (gg) {
                r->m[o] = v1;
                r->logm[o] = log(v1);
            } else {
                r->tx[o] = v1;
                r->T[o] = v2;
            }
        }
        r->w[o] += w;
        r->wsum += w;
    }
    crm__free(A, a);
    crm__free(A, tmp);
    /* Groups of equal x. */
    size_t ng = 0;
    for (size_t i = 0; i < u; i++)
        if (i == 0 || r->x[i] != r->x[i - 1]) ng++;
    r->gstart = crm__alloc(A, (ng + 1) * sizeof *r->gstart);
    if (!r->gstart) return CRM_STATUS_NO_MEMORY;
    ng = 0;
    for (size_t i = 0; i < u; i++)
        if (i == 0 || r->x[i] != r->x[i - 1]) r->gstart[ng++] = i;
    r->gstart[ng] = u;
    r->ngroups = ng;
    if (gg) return CRM_STATUS_OK;
    r->itx = crm__alloc(A, 2 * u * sizeof *r->itx);
    if (!r->itx) return CRM_STATUS_NO_MEMORY;
    r->iT = r->itx + u;
    crm_status st = build_times(A, r);
    if (st != CRM_STATUS_OK) return st;
    r->work = crm__alloc(A, 4 * r->ntimes * sizeof *r->work);
    r->stamp = crm__calloc(A, r->ntimes, sizeof *r->stamp);
    if (!r->work || !r->stamp) return CRM_STATUS_NO_MEMORY;
    return CRM_STATUS_OK;
}

/* ---- fitting ---- */

typedef struct fit_ctx {
    const crm__model_ops *ops;
    crm__rows *rows;
    double l2;
} fit_ctx;

static double objective(void *vctx, const double *theta, double *grad) {
    fit_ctx *ctx = vctx;
    size_t n = ctx->ops->nparams;
    double p[CRM__MODEL_MAX_PARAMS], g[CRM__MODEL_MAX_PARAMS];
    for (size_t i = 0; i < n; i++) p[i] = exp(theta[i]);
    double ll = ctx->ops->loglik(p, ctx->rows, grad ? g : NULL);
    if (!isfinite(ll)) return INFINITY;
    double W = ctx->rows->wsum, f = -ll / W;
    for (size_t i = 0; i < n; i++) {
        f += ctx->l2 * theta[i] * theta[i];
        if (grad) grad[i] = -g[i] / W + 2 * ctx->l2 * theta[i];
    }
    return f;
}

/* Total log-likelihood at log-parameters theta, and its log-space gradient. */
static double total_loglik(const fit_ctx *ctx, const double *theta, double *grad) {
    size_t n = ctx->ops->nparams;
    double p[CRM__MODEL_MAX_PARAMS];
    for (size_t i = 0; i < n; i++) p[i] = exp(theta[i]);
    return ctx->ops->loglik(p, ctx->rows, grad);
}

static double total_loglik_fn(void *vctx, const double *theta, double *grad) {
    return total_loglik(vctx, theta, grad);
}

/* Invert the symmetric positive definite n x n matrix a (Cholesky); 0 when
 * it is not positive definite. */
static int spd_inverse(size_t n, double a[CRM__MODEL_MAX_PARAMS][CRM__MODEL_MAX_PARAMS],
                       double inv[CRM__MODEL_MAX_PARAMS][CRM__MODEL_MAX_PARAMS]) {
    double l[CRM__MODEL_MAX_PARAMS][CRM__MODEL_MAX_PARAMS];
    memset(l, 0, sizeof l);
    for (size_t j = 0; j < n; j++) {
        double s = a[j][j];
        for (size_t k = 0; k < j; k++) s -= l[j][k] * l[j][k];
        if (!(s > 0) || !isfinite(s)) return 0;
        l[j][j] = sqrt(s);
        for (size_t i = j + 1; i < n; i++) {
            double t = a[i][j];
            for (size_t k = 0; k < j; k++) t -= l[i][k] * l[j][k];
            l[i][j] = t / l[j][j];
        }
    }
    /* Solve L L' X = I column by column. */
    for (size_t c = 0; c < n; c++) {
        double y[CRM__MODEL_MAX_PARAMS];
        for (size_t i = 0; i < n; i++) {
            double t = i == c ? 1 : 0;
            for (size_t k = 0; k < i; k++) t -= l[i][k] * y[k];
            y[i] = t / l[i][i];
        }
        for (size_t i = n; i-- > 0;) {
            double t = y[i];
            for (size_t k = i + 1; k < n; k++) t -= l[k][i] * inv[k][c];
            inv[i][c] = t / l[i][i];
        }
    }
    return 1;
}

static void standard_errors(const fit_ctx *ctx, const double *theta, double *se) {
    size_t n = ctx->ops->nparams;
    double H[CRM__MODEL_MAX_PARAMS][CRM__MODEL_MAX_PARAMS], g[CRM__MODEL_MAX_PARAMS];
    double th[CRM__MODEL_MAX_PARAMS];
    for (size_t i = 0; i < n; i++) se[i] = NAN;
    memcpy(th, theta, n * sizeof *th);
    if (ctx->ops->analytic_grad) {
        const double h = 1e-4;
        double gp[CRM__MODEL_MAX_PARAMS], gm[CRM__MODEL_MAX_PARAMS];
        if (!isfinite(total_loglik(ctx, th, g))) return;
        for (size_t j = 0; j < n; j++) {
            th[j] = theta[j] + h;
            double fp = total_loglik(ctx, th, gp);
            th[j] = theta[j] - h;
            double fm = total_loglik(ctx, th, gm);
            th[j] = theta[j];
            if (!isfinite(fp) || !isfinite(fm)) return;
            for (size_t i = 0; i < n; i++) H[i][j] = (gp[i] - gm[i]) / (2 * h);
        }
    } else {
        const double h = 2e-4;
        double f0 = crm__numeric_gradient(n, th, total_loglik_fn, (void *)ctx, 6e-6, g);
        for (size_t i = 0; i < n; i++) {
            th[i] = theta[i] + h;
            double fp = total_loglik(ctx, th, NULL);
            th[i] = theta[i] - h;
            double fm = total_loglik(ctx, th, NULL);
            th[i] = theta[i];
            H[i][i] = (fp - 2 * f0 + fm) / (h * h);
            for (size_t j = 0; j < i; j++) {
                double v[4];
                for (int k = 0; k < 4; k++) {
                    th[i] = theta[i] + ((k & 1) ? -h : h);
                    th[j] = theta[j] + ((k & 2) ? -h : h);
                    v[k] = total_loglik(ctx, th, NULL);
                }
                th[i] = theta[i];
                th[j] = theta[j];
                H[i][j] = (v[0] - v[1] - v[2] + v[3]) / (4 * h * h);
            }
        }
    }
    /* Negative Hessian in log space with the gradient term of the change of variables. */
    double A[CRM__MODEL_MAX_PARAMS][CRM__MODEL_MAX_PARAMS], inv[CRM__MODEL_MAX_PARAMS][CRM__MODEL_MAX_PARAMS];
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j <= i; j++) {
            double v = ctx->ops->analytic_grad ? 0.5 * (H[i][j] + H[j][i]) : H[i][j];
            if (i == j) v -= g[i];
            A[i][j] = A[j][i] = -v;
        }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            if (!isfinite(A[i][j])) return;
    if (!spd_inverse(n, A, inv)) return;
    for (size_t i = 0; i < n; i++) se[i] = exp(theta[i]) * sqrt(inv[i][i]);
}

static crm_status alloc_model(const crm_config *c, const crm__model_ops *ops, crm_model **out) {
    crm_model *m = crm__alloc(&c->allocator, sizeof *m);
    if (!m) return CRM_STATUS_NO_MEMORY;
    memset(m, 0, sizeof *m);
    m->allocator = c->allocator;
    m->kind = ops->kind;
    m->nparams = ops->nparams;
    for (size_t i = 0; i < CRM__MODEL_MAX_PARAMS; i++) m->param[i] = m->se[i] = NAN;
    m->loglik = NAN;
    *out = m;
    return CRM_STATUS_OK;
}

crm_status crm__model_fit_ex(const crm_config *c, int kind, const crm_model_data *data, int want_stderr,
                             crm_model **out, crm_error *err) {
    if (out == NULL) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "out is NULL");
    *out = NULL;
    if (c == NULL) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "configuration is NULL");
    const crm__model_ops *ops = ops_of(kind);
    if (ops == NULL) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "unknown model kind %d", kind);
    int gg = kind == CRM_MODEL_KIND_GAMMA_GAMMA;
    unsigned need = (gg ? NEED_X | NEED_SPEND : NEED_X | NEED_TIMES) | USE_WEIGHT;
    crm_status st = check_columns(data, need, err);
    if (st != CRM_STATUS_OK) return st;
    if (data->count == 0) return crm__fail(err, CRM_STATUS_NO_DATA, "no model rows");
    st = check_rows(data, need, err);
    if (st != CRM_STATUS_OK) return st;

    const crm_allocator *A = &c->allocator;
    crm__rows rows;
    st = compress(A, data, gg, &rows);
    if (st != CRM_STATUS_OK) {
        crm__rows_free(A, &rows);
        if (st == CRM_STATUS_NO_DATA)
            return crm__fail(err, st, gg ? "no row with x > 0 and weight > 0" : "no row with weight > 0");
        return crm__nomem(err);
    }
    crm_model *m = NULL;
    if (alloc_model(c, ops, &m) != CRM_STATUS_OK) {
        crm__rows_free(A, &rows);
        return crm__nomem(err);
    }

    fit_ctx ctx = {ops, &rows, crm__opt(c, CRM_OPTION_L2_PENALTY)};
    double theta[CRM__MODEL_MAX_PARAMS], p0[CRM__MODEL_MAX_PARAMS];
    ops->start(&rows, p0);
    for (size_t i = 0; i < ops->nparams; i++) theta[i] = log(p0[i]);
    crm__opt_result res;
    crm__minimize(ops->nparams, theta, objective, &ctx, ops->analytic_grad,
                  crm__opt_int(c, CRM_OPTION_MAX_ITERATIONS), crm__opt(c, CRM_OPTION_TOLERANCE),
                  CRM_MODEL_LOG_BOUND, &res);
    double ll = total_loglik(&ctx, theta, NULL);
    int finite = res.finite && isfinite(ll);
    for (size_t i = 0; i < ops->nparams; i++) finite = finite && isfinite(theta[i]);
    if (!finite) {
        crm__rows_free(A, &rows);
        crm_model_free(m);
        return crm__fail(err, CRM_STATUS_NUMERIC,
                         "the %s log-likelihood is not finite at the starting values", model_label(kind));
    }
    for (size_t i = 0; i < ops->nparams; i++) m->param[i] = exp(theta[i]);
    m->loglik = ll;
    m->converged = res.converged;
    m->iterations = res.iterations;
    if (want_stderr) standard_errors(&ctx, theta, m->se);
    double W = rows.wsum;
    crm__rows_free(A, &rows);
    *out = m;
    if (!res.converged)
        return crm__fail(
            err, CRM_STATUS_NOT_CONVERGED,
            "model fit did not converge in %lld iterations (max |gradient| %.3g, mean log-likelihood %.6g)",
            (long long)res.iterations, res.grad_max, ll / W);
    crm__error_clear(err);
    return CRM_STATUS_OK;
}

crm_status crm__model_fit(const crm_config *c, int kind, const crm_model_data *data, crm_model **out,
                          crm_error *err) {
    return crm__model_fit_ex(c, kind, data, 1, out, err);
}

crm_status crm_model_fit(const crm_config *config, int kind, const crm_model_data *data, crm_model **out,
                         crm_error *err) {
    if (config) return crm__model_fit(config, kind, data, out, err);
    crm_config c;
    crm__config_defaults(&c, NULL);
    return crm__model_fit(&c, kind, data, out, err);
}

crm_status crm_model_from_params(const crm_config *config, int kind, const double *params, size_t n,
                                 crm_model **out, crm_error *err) {
    if (out == NULL) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "out is NULL");
    *out = NULL;
    const crm__model_ops *ops = ops_of(kind);
    if (ops == NULL) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "unknown model kind %d", kind);
    if (n != ops->nparams)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "this model has %lu parameters, %lu given",
                         (unsigned long)ops->nparams, (unsigned long)n);
    if (params == NULL) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "params is NULL");
    for (size_t i = 0; i < n; i++)
        if (!(params[i] > 0) || !isfinite(params[i]))
            return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "parameter %s must be finite and positive",
                             ops->names[i]);
    crm_config defaults;
    if (config == NULL) {
        crm__config_defaults(&defaults, NULL);
        config = &defaults;
    }
    crm_model *m = NULL;
    if (alloc_model(config, ops, &m) != CRM_STATUS_OK) return crm__nomem(err);
    for (size_t i = 0; i < n; i++) m->param[i] = params[i];
    m->converged = 1; /* nothing to fit */
    *out = m;
    crm__error_clear(err);
    return CRM_STATUS_OK;
}

void crm_model_free(crm_model *model) {
    if (model == NULL) return;
    crm_allocator a = model->allocator; /* the model's memory holds the allocator */
    crm__free(&a, model);
}

int crm_model_kind_of(const crm_model *model) { return model ? model->kind : 0; }

size_t crm_model_param_count(int kind) {
    const crm__model_ops *ops = ops_of(kind);
    return ops ? ops->nparams : 0;
}

const char *crm_model_param_name(int kind, size_t i) {
    const crm__model_ops *ops = ops_of(kind);
    return ops && i < ops->nparams ? ops->names[i] : NULL;
}

crm_status crm_model_data_init_sized(crm_model_data *data, size_t struct_size, crm_error *err) {
    crm__error_clear(err);
    if (data == NULL) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "crm_model_data_init: data is NULL");
    if (struct_size < sizeof *data)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "crm_model_data_init: struct_size %zu is below %zu", struct_size, sizeof *data);
    memset(data, 0, sizeof *data); /* a newer caller's extra members are its own to clear */
    data->struct_size = sizeof *data;
    return CRM_STATUS_OK;
}

double crm_model_param(const crm_model *model, size_t i) {
    return model && i < model->nparams ? model->param[i] : NAN;
}
double crm_model_stderr(const crm_model *model, size_t i) {
    return model && i < model->nparams ? model->se[i] : NAN;
}
double crm_model_loglik(const crm_model *model) { return model ? model->loglik : NAN; }
int crm_model_converged(const crm_model *model) { return model ? model->converged : 0; }
int64_t crm_model_iterations(const crm_model *model) { return model ? model->iterations : 0; }

/* ---- predictions ---- */

/* Common checks of the per-row functions. purchase: 1 needs a purchase
 * model, 0 a Gamma-Gamma model. */
static crm_status check_predict(const crm_model *model, int purchase, const crm_model_data *data,
                                const double *out, unsigned need, crm_error *err) {
    if (model == NULL) {
        (void)crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "model is NULL");
        return CRM_STATUS_INVALID_ARGUMENT;
    }
    if (purchase && model->kind == CRM_MODEL_KIND_GAMMA_GAMMA)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "a purchase model (BG/NBD, MBG/NBD, Pareto/NBD) is needed");
    if (!purchase && model->kind != CRM_MODEL_KIND_GAMMA_GAMMA)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "a Gamma-Gamma model is needed");
    crm_status st = check_columns(data, need, err);
    if (st != CRM_STATUS_OK) return st;
    if (data->count > 0 && out == NULL) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "out is NULL");
    return check_rows(data, need, err);
}

static crm_status not_finite(crm_error *err, size_t i) {
    return crm__fail_record(err, CRM_STATUS_NUMERIC, CRM_INPUT_NONE, (int64_t)i, CRM_FIELD_NONE, 0,
                            "model row %lu: the prediction is not finite", (unsigned long)i);
}

/* E[X(T, T+t) | x, t_x, T] = P(alive) E[X(T, T+t) | x, T, alive]. */
static double expected_row(const crm__model_ops *ops, const double *p, double t, double x, double tx,
                           double T) {
    if (t == 0) return 0;
    double pa = ops->p_alive(p, x, tx, T);
    return pa == 0 ? 0 : pa * ops->expected_alive(p, t, x, T);
}

crm_status crm_model_p_alive(const crm_model *model, const crm_model_data *data, double *out,
                             crm_error *err) {
    crm_status st = check_predict(model, 1, data, out, NEED_X | NEED_TIMES, err);
    if (st != CRM_STATUS_OK) return st;
    const crm__model_ops *ops = ops_of(model->kind);
    for (size_t i = 0; i < data->count; i++) {
        double v = ops->p_alive(model->param, col_at(data->x, data->x_stride, i),
                                col_at(data->t_x, data->t_x_stride, i), col_at(data->T, data->T_stride, i));
        if (!isfinite(v)) return not_finite(err, i);
        out[i] = v;
    }
    crm__error_clear(err);
    return CRM_STATUS_OK;
}

crm_status crm_model_expected_purchases(const crm_model *model, double t, const crm_model_data *data,
                                        double *out, crm_error *err) {
    crm_status st = check_predict(model, 1, data, out, NEED_X | NEED_TIMES, err);
    if (st != CRM_STATUS_OK) return st;
    if (!(t >= 0) || !isfinite(t))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "horizon t must be finite and >= 0");
    const crm__model_ops *ops = ops_of(model->kind);
    for (size_t i = 0; i < data->count; i++) {
        double v = expected_row(ops, model->param, t, col_at(data->x, data->x_stride, i),
                                col_at(data->t_x, data->t_x_stride, i), col_at(data->T, data->T_stride, i));
        if (!isfinite(v)) return not_finite(err, i);
        out[i] = v;
    }
    crm__error_clear(err);
    return CRM_STATUS_OK;
}

crm_status crm_model_expected_spend(const crm_model *model, const crm_model_data *data, double *out,
                                    crm_error *err) {
    crm_status st = check_predict(model, 0, data, out, NEED_X | NEED_SPEND, err);
    if (st != CRM_STATUS_OK) return st;
    for (size_t i = 0; i < data->count; i++) {
        double x = col_at(data->x, data->x_stride, i);
        out[i] =
            crm__gg_expected_spend(model->param, x, x > 0 ? col_at(data->spend, data->spend_stride, i) : 0);
    }
    crm__error_clear(err);
    return CRM_STATUS_OK;
}

crm_status crm_model_expected_purchases_new(const crm_model *model, double t, double *out, crm_error *err) {
    if (model == NULL || out == NULL)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "model or out is NULL");
    if (model->kind == CRM_MODEL_KIND_GAMMA_GAMMA)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "a purchase model (BG/NBD, MBG/NBD, Pareto/NBD) is needed");
    if (!(t >= 0) || !isfinite(t))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "t must be finite and >= 0");
    /* A new customer: x = t_x = T = 0 (FHL 2005 eq. 7 is eq. 10 there). */
    double v = expected_row(ops_of(model->kind), model->param, t, 0, 0, 0);
    if (!isfinite(v)) return crm__fail(err, CRM_STATUS_NUMERIC, "E[X(t)] is not finite");
    *out = v;
    crm__error_clear(err);
    return CRM_STATUS_OK;
}

crm_status crm_model_prob_purchases(const crm_model *model, double t, int64_t n, double *out,
                                    crm_error *err) {
    if (model == NULL || out == NULL)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "model or out is NULL");
    if (model->kind == CRM_MODEL_KIND_GAMMA_GAMMA)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT,
                         "a purchase model (BG/NBD, MBG/NBD, Pareto/NBD) is needed");
    if (!(t >= 0) || !isfinite(t))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "t must be finite and >= 0");
    if (n < 0) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "n must be >= 0");
    double v = ops_of(model->kind)->prob(model->param, t, n);
    if (!isfinite(v)) return crm__fail(err, CRM_STATUS_NUMERIC, "P(X(t) = n) is not finite");
    *out = v < 0 ? 0 : v;
    crm__error_clear(err);
    return CRM_STATUS_OK;
}

/* CLV with the horizon and steps in the data's time unit and the discount
 * rate per time unit. */
static crm_status clv_in_units(const crm_model *purchase_model, const crm_model *spend_model,
                               const crm_model_data *data, double horizon, int64_t steps,
                               double discount_rate, double margin, double *out, crm_error *err) {
    if (purchase_model == NULL) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "purchase model is NULL");
    if (spend_model && spend_model->kind != CRM_MODEL_KIND_GAMMA_GAMMA)
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "the spend model must be a Gamma-Gamma model");
    if (!(horizon >= 0) || !isfinite(horizon))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "horizon must be >= 0");
    if (steps < 1) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "steps must be >= 1");
    if (!(discount_rate > -1) || !isfinite(discount_rate))
        return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "discount_rate must be finite and > -1");
    if (!isfinite(margin)) return crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "margin must be finite");
    /* Without a spend model the row's spend column is E[spend]; with one, the
     * Gamma-Gamma conditional mean (its population mean where there is no
     * spend column, or x = 0). */
    if (data == NULL) {
        (void)crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "model data is NULL");
        return CRM_STATUS_INVALID_ARGUMENT;
    }
    int have_spend = data->spend != NULL;
    if (spend_model == NULL && !have_spend && data->count > 0) {
        (void)crm__fail(err, CRM_STATUS_INVALID_ARGUMENT, "no spend model and no spend column");
        return CRM_STATUS_INVALID_ARGUMENT;
    }
    /* With a spend model a row whose spend is not positive gets the
     * population mean (the analysis's rule for customers whose returns ate
     * their repeat spend); without one the spend is E[spend] and must be >= 0. */
    unsigned need = NEED_X | NEED_TIMES | (have_spend ? NEED_SPEND_FINITE : 0);
    crm_status st = check_predict(purchase_model, 1, data, out, need, err);
    if (st != CRM_STATUS_OK) return st;
    const crm__model_ops *ops = ops_of(purchase_model->kind);
    double ldisc = log1p(discount_rate);
    for (size_t i = 0; i < data->count; i++) {
        double x = col_at(data->x, data->x_stride, i), tx = col_at(data->t_x, data->t_x_stride, i);
        double T = col_at(data->T, data->T_stride, i);
        double spend;
        if (spend_model) {
            double m = have_spend && x > 0 ? col_at(data->spend, data->spend_stride, i) : 0;
            spend = crm__gg_expected_spend(spend_model->param, m > 0 ? x : 0, m > 0 ? m : 0);
        } else {
            spend = col_at(data->spend, data->spend_stride, i);
            if (!isfinite(spend)) spend = 0; /* x = 0 rows may carry no spend */
            if (spend < 0)
                return bad_row(err, i, CRM_FIELD_AMOUNT, CRM_FATE_VALUE_RANGE,
                               "spend is negative (E[spend] must be >= 0)");
        }
        /* P(alive) does not depend on the horizon: once per row. */
        double pa = ops->p_alive(purchase_model->param, x, tx, T);
        double sum = 0, prev = 0;
        for (int64_t k = 1; k <= steps && pa > 0; k++) {
            double ti = horizon * (double)k / (double)steps;
            double e = ops->expected_alive(purchase_model->param, ti, x, T);
            sum += (e - prev) * exp(-ti * ldisc);
            prev = e;
        }
        double v = margin * spend * pa * sum;
        if (isnan(v)) return not_finite(err, i);
        out[i] = v;
    }
    crm__error_clear(err);
    return CRM_STATUS_OK;
}

crm_status crm_model_clv(const crm_model *purchase_model, const crm_model *spend_model,
                         const crm_config *config, const crm_model_data *data, double *out, crm_error *err) {
    crm_config defaults;
    if (config == NULL) {
        crm__config_defaults(&defaults, NULL);
        config = &defaults;
    }
    crm_status st = crm__config_validate(config, err);
    if (st != CRM_STATUS_OK) return st;
    crm__clv_terms t = crm__clv_terms_of(config);
    return clv_in_units(purchase_model, spend_model, data, t.horizon, t.steps, t.rate, t.margin, out, err);
}

crm__clv_terms crm__clv_terms_of(const crm_config *c) {
    crm__clv_terms t;
    double unit = crm__opt(c, CRM_OPTION_TIME_UNIT_DAYS);
    double horizon_days = crm__opt(c, CRM_OPTION_HORIZON_DAYS);
    t.horizon = horizon_days / unit;
    /* Monthly steps, fixed in days so CLV does not depend on the unit. */
    t.steps = (int64_t)floor(horizon_days / (365.25 / 12.0) + 0.5);
    if (t.steps < 1) t.steps = 1;
    t.rate = pow(1.0 + crm__opt(c, CRM_OPTION_DISCOUNT_RATE), unit / 365.25) - 1.0;
    t.margin = crm__opt(c, CRM_OPTION_MARGIN);
    return t;
}
