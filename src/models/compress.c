/* compress.c - identical rows into weights. Customer bases repeat the same
 * (x, t_x, T) over and over (day-resolution data has few distinct values),
 * and a likelihood costs one evaluation per distinct row, so every fit
 * starts here: the usable rows are sorted by radix sort on the bits that
 * vary, merged into distinct rows with summed weights, grouped by x, and for
 * the purchase models the distinct times are indexed (crm__rows, models.h). */
#include "models/models.h"

#include <math.h>
#include <string.h>

typedef crm__kv kv;

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

/* The low width bits of v (all of v for width >= 64). */
static uint64_t low_bits(uint64_t v, unsigned width) {
    if (width == 0) return 0;
    return width >= 64 ? v : v & ((UINT64_C(1) << width) - 1);
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

/* The varying bits of a value, as a key of width bits. */
static uint64_t bitrange_part(const bitrange *b, uint64_t bits) { return low_bits(bits >> b->lo, b->width); }

/* The value whose varying bits are part. */
static uint64_t bitrange_join(const bitrange *b, uint64_t part) {
    if (b->width == 0) return b->base;
    uint64_t mask = low_bits(~UINT64_C(0), b->width);
    return (b->base & ~(mask << b->lo)) | (part << b->lo);
}

/* The two key arrays of a sort (both allocated, so that allocation failures
 * happen at the same points whichever fails). */
static crm_status alloc_keys(const crm_allocator *A, size_t n, kv **a, kv **tmp) {
    *a = crm__alloc(A, n * sizeof **a);
    *tmp = crm__alloc(A, n * sizeof **tmp);
    if (*a && *tmp) return CRM_STATUS_OK;
    crm__free(A, *a);
    crm__free(A, *tmp);
    return CRM_STATUS_NO_MEMORY;
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
    return dbits(crm__model_col(cs->col[c], cs->stride[c], row));
}

static double weight_at(const crm_model_data *d, size_t i) {
    return d->weight ? crm__model_col(d->weight, d->weight_stride, i) : 1.0;
}

/* A row that counts: weight > 0 and, for Gamma-Gamma, x > 0. */
static int row_used(const crm_model_data *d, int gg, size_t i) {
    if (!(weight_at(d, i) > 0)) return 0;
    return !(gg && crm__model_col(d->x, d->x_stride, i) == 0);
}

/* Build r->times (distinct t_x and T values) and the per-row indices. */
static crm_status build_times(const crm_allocator *A, crm__rows *r) {
    size_t n2 = 2 * r->n;
    bitrange br = {dbits(r->tx[0]), 0, 0, 0};
    for (size_t i = 0; i < r->n; i++) br.var |= (dbits(r->tx[i]) ^ br.base) | (dbits(r->T[i]) ^ br.base);
    bitrange_finish(&br);
    kv *a, *tmp;
    if (alloc_keys(A, n2, &a, &tmp) != CRM_STATUS_OK) return CRM_STATUS_NO_MEMORY;
    for (size_t i = 0; i < r->n; i++) {
        a[2 * i].key = bitrange_part(&br, dbits(r->tx[i]));
        a[2 * i].val = 2 * i;
        a[2 * i + 1].key = bitrange_part(&br, dbits(r->T[i]));
        a[2 * i + 1].val = 2 * i + 1;
    }
    kv *s = crm__radix_sort_kv(a, tmp, n2, br.width);
    size_t nt = 0;
    for (size_t k = 0; k < n2; k++)
        if (k == 0 || s[k].key != s[k - 1].key) nt++;
    crm_status st = CRM_STATUS_NO_MEMORY;
    r->times = crm__alloc(A, nt * sizeof *r->times);
    if (!r->times) goto done;
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
    st = CRM_STATUS_OK;
done:
    crm__free(A, a);
    crm__free(A, tmp);
    return st;
}

/* Sort the used rows of d into distinct rows with summed weights (r->x, w
 * and the kind's columns). */
static crm_status merge_rows(const crm_allocator *A, const crm_model_data *d, int gg, crm__rows *r) {
    colset cs;
    size_t ncol = gg ? 2 : 3;
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
        if (!row_used(d, gg, i)) continue;
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
    kv *a, *tmp;
    if (alloc_keys(A, used, &a, &tmp) != CRM_STATUS_OK) return CRM_STATUS_NO_MEMORY;
    int packed = total <= 64;
    size_t k = 0;
    for (size_t i = 0; i < d->count; i++) {
        if (!row_used(d, gg, i)) continue;
        double w = weight_at(d, i);
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
        s = crm__radix_sort_kv(a, tmp, used, total);
    } else {
        /* Column by column, least significant first: stable sorts compose. */
        s = crm__radix_sort_kv(a, tmp, used, br[ncol - 1].width);
        for (size_t c = ncol - 1; c-- > 0;) {
            for (size_t j = 0; j < used; j++)
                s[j].key = bitrange_part(&br[c], colset_bits(&cs, c, (size_t)s[j].val));
            kv *other = s == a ? tmp : a;
            s = crm__radix_sort_kv(s, other, used, br[c].width);
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
    crm_status st = CRM_STATUS_NO_MEMORY;
    r->x = crm__alloc(A, 4 * u * sizeof(double));
    if (!r->x) goto done;
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
                bits[c] = bitrange_join(&br[c], low_bits(key, br[c].width));
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
    st = CRM_STATUS_OK;
done:
    crm__free(A, a);
    crm__free(A, tmp);
    return st;
}

crm_status crm__rows_compress(const crm_allocator *A, const crm_model_data *d, int gg, crm__rows *r) {
    memset(r, 0, sizeof *r);
    crm_status st = merge_rows(A, d, gg, r);
    if (st != CRM_STATUS_OK) return st;
    size_t u = r->n;
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
    st = build_times(A, r);
    if (st != CRM_STATUS_OK) return st;
    r->work = crm__alloc(A, 4 * r->ntimes * sizeof *r->work);
    r->stamp = crm__calloc(A, r->ntimes, sizeof *r->stamp);
    if (!r->work || !r->stamp) return CRM_STATUS_NO_MEMORY;
    return CRM_STATUS_OK;
}
