/* models/models.h - the customer-value models: the model handle, the model
 * kinds' formulas, and what the files of models/ share to read the caller's
 * rows, compress them, fit, estimate standard errors and predict.
 * Internal (not installed): names use the prefix crm__. */
#ifndef CRM_MODELS_MODELS_H
#define CRM_MODELS_MODELS_H

#include "core/core.h"

#include <stddef.h>
#include <stdint.h>

#define CRM__MODEL_MAX_PARAMS 4

struct crm_model {
    crm_allocator allocator; /* copy of the configuration's, for crm_model_free */
    int kind;
    size_t nparams;
    double param[CRM__MODEL_MAX_PARAMS];
    double se[CRM__MODEL_MAX_PARAMS]; /* NaN when not available */
    double loglik;                    /* NaN for crm_model_from_params */
    int converged;
    int64_t iterations;
    int status;            /* crm_status of the fit (CRM_STATUS_OK for crm_model_from_params) */
    uint32_t limits;       /* crm_limit bits */
    double nobs;           /* customers (total weight) the model was fitted on; NaN if not fitted */
    double time_unit_days; /* days per time unit of the data, when known (the analysis's); NaN otherwise */
    char message[240];     /* crm_model_message */
};

/* ---- the caller's rows (data.c) ---- */

/* What a function needs of a crm_model_data view. NEED_SPEND: spend > 0
 * where x > 0 (Gamma-Gamma conditions on it); NEED_SPEND_FINITE: any finite
 * value where x > 0 (an expected spend for CLV); USE_WEIGHT: the weight
 * column, when there is one, is read and checked. */
enum {
    CRM__NEED_X = 1,
    CRM__NEED_TIMES = 2,
    CRM__NEED_SPEND = 4,
    CRM__USE_WEIGHT = 8,
    CRM__NEED_SPEND_FINITE = 16,
    CRM__NEED_DISCRETE = 32 /* BG/BB: t_x and T whole numbers, x <= t_x */
};

/* Element i of a column of the view (stride in bytes, 0 = sizeof(double)). */
static inline double crm__model_col(const double *base, size_t stride, size_t i) {
    return crm__read_f64(base, stride ? stride : sizeof(double), i);
}

/* The view itself: not NULL, struct_size set, the needed columns present
 * (CRM_STATUS_INVALID_ARGUMENT otherwise). */
crm_status crm__model_check_columns(const crm_model_data *d, unsigned need, crm_error *err);
/* Every row's values valid for need (CRM_STATUS_BAD_RECORD naming the first
 * bad row otherwise). */
crm_status crm__model_check_rows(const crm_model_data *d, unsigned need, crm_error *err);
/* The CRM_STATUS_BAD_RECORD report of row i. */
crm_status crm__model_bad_row(crm_error *err, size_t i, int field, int reason, const char *what);

/* ---- compressed rows (compress.c) ---- */

/* Distinct data rows after compression, sorted by (x, t_x, T) for the
 * purchase models and by (x, spend) for Gamma-Gamma; w[i] is how many
 * customers row i stands for. Rows with equal x form a group
 * (group g = rows gstart[g] .. gstart[g+1]-1), so terms that depend on x only
 * (log-gamma, digamma) are computed once per group. Purchase models also get
 * the distinct time values (t_x and T together) with per-row indices, so
 * logs of (alpha + time) are computed once per distinct time. */
typedef struct crm__rows {
    size_t n;
    double *x;
    double *tx;   /* purchase models */
    double *T;    /* purchase models */
    double *m;    /* Gamma-Gamma: mean spend */
    double *logm; /* Gamma-Gamma: log of m */
    double *w;
    uint32_t *itx, *iT; /* purchase models: indices into times */
    size_t ntimes;
    double *times;
    size_t ngroups;
    size_t *gstart; /* ngroups + 1 entries */
    double wsum;    /* total weight */
    /* Work space of the likelihoods (4 * ntimes doubles, ntimes stamps). */
    double *work;
    int64_t *stamp;
    int64_t gen; /* last stamp used (Pareto/NBD memo of per-(x, time) terms) */
} crm__rows;

/* Compress the usable rows of d (weight > 0; for Gamma-Gamma, gg = 1, also
 * x > 0) into r, whose arrays are allocated with a. The rows must have
 * passed crm__model_check_rows. CRM_STATUS_NO_DATA when no row is usable,
 * CRM_STATUS_NO_MEMORY; on failure r still needs crm__rows_free. */
crm_status crm__rows_compress(const crm_allocator *a, const crm_model_data *d, int gg, crm__rows *r);
/* Free every array of r (allocated with a). */
void crm__rows_free(const crm_allocator *a, crm__rows *r);

/* ---- the model kinds (bgnbd.c, mbgnbd.c, paretonbd.c, gammagamma.c) ---- */

/* One model kind: its parameters and formulas. Parameters are natural
 * (positive); likelihood gradients are with respect to their logarithms. */
typedef struct crm__model_ops {
    int kind;
    size_t nparams;
    const char *names[CRM__MODEL_MAX_PARAMS];
    int analytic_grad; /* loglik fills grad when asked */
    /* Total log-likelihood of the rows (weighted). grad, when not NULL,
     * receives d loglik / d log(param). May return -inf / NaN off-domain. */
    double (*loglik)(const double *p, crm__rows *rows, double *grad);
    /* Starting values for the fit. */
    void (*start)(const crm__rows *rows, double *p);
    /* Purchase models only (NULL for Gamma-Gamma). */
    double (*p_alive)(const double *p, double x, double tx, double T);
    /* E[X(T, T+t) | x, T, alive at T]; times P(alive) it is E[X(T, T+t) | x, t_x, T]. */
    double (*expected_alive)(const double *p, double t, double x, double T);
    double (*prob)(const double *p, double t, int64_t n); /* P(X(t) = n) */
    /* P(X(T, T+t) = n | x, T, alive at T): the unconditional P(X(t) = n) of
     * the posterior population of customers alive at T. */
    double (*prob_alive)(const double *p, double t, int64_t n, double x, double T);
} crm__model_ops;

extern const crm__model_ops crm__bgnbd_ops;
extern const crm__model_ops crm__mbgnbd_ops;
extern const crm__model_ops crm__paretonbd_ops;
extern const crm__model_ops crm__gammagamma_ops;
extern const crm__model_ops crm__bgbb_ops;

/* BG/NBD and MBG/NBD share the likelihood's shape; modified selects MBG/NBD. */
double crm__bg_family_loglik(const double *p, crm__rows *d, double *grad, int modified);
void crm__bg_family_start(const crm__rows *d, double *p);
/* P(alive) and E[X(T, T+t) | x, T, alive] of BG/NBD (0) and MBG/NBD (1). */
double crm__bg_family_p_alive(const double *p, double x, double tx, double T, int modified);
double crm__bg_family_expected_alive(const double *p, double t, double x, double T, int modified);
/* The same by quadrature over the drop-out probability (used for z near 1; exposed for tests). */
double crm__bg_family_expected_alive_quad(const double *p, double t, double x, double T, int modified);
/* P(X(t) = n) for BG/NBD (modified = 0) and MBG/NBD (modified = 1). */
double crm__bg_family_prob(const double *p, double t, int64_t n, int modified);
/* P(X(T, T+t) = n | x, T, alive at T) of BG/NBD (0) and MBG/NBD (1). */
double crm__bg_family_prob_alive(const double *p, double t, int64_t n, double x, double T, int modified);
/* log of the negative binomial probability of n events in t for a gamma(r, alpha) rate. */
double crm__nbd_logpmf(double r, double alpha, double t, int64_t n);
/* Starting scale of the purchase rate shared by the purchase models: the
 * pooled alpha = (total time) / (repeat purchases), 10 mean T without a
 * repeat purchase, at least 1e-8. *mean_T receives the mean T (1 when it is
 * not positive). */
double crm__start_alpha(const crm__rows *d, double *mean_T);

/* Gamma-Gamma conditional mean spend per purchase day (Fader, Hardie & Lee
 * 2005b eq. 5); the population mean p gamma / (q - 1) for x = 0; NaN when
 * the mean does not exist. */
double crm__gg_expected_spend(const double *p, double x, double m);

/* ---- the handle (model.c) ---- */

/* CRM__NEED_DISCRETE for a BG/BB kind, else 0. */
static inline unsigned crm__need_of_kind(int kind) {
    return kind == CRM_MODEL_KIND_BGBB ? CRM__NEED_DISCRETE : 0;
}

/* The formulas of a crm_model_kind; NULL for an unknown kind. */
const crm__model_ops *crm__model_ops_of(int kind);
/* The literature's name of a kind ("BG/NBD", ...), for messages. */
const char *crm__model_label(int kind);
/* A new model of ops's kind with the allocator of c, every figure NaN. */
crm_status crm__model_alloc(const crm_config *c, const crm__model_ops *ops, crm_model **out);
/* Whether a model's parameters can be used (it was fitted or given), and
 * the CRM_STATUS_NOT_IDENTIFIED failure of a call given one that cannot. */
int crm__model_usable(const crm_model *m);
crm_status crm__model_unusable(const crm_model *m, crm_error *err);
/* A model of kind that could not be fitted: every parameter NaN, status
 * and message why (the analysis keeps it so that the reason is findable).
 * CRM_STATUS_NO_MEMORY or CRM_STATUS_OK. */
crm_status crm__model_unfitted(const crm_config *c, int kind, int status, const char *why, crm_model **out);
/* config, or the defaults written into *storage when config is NULL. */
const crm_config *crm__config_or_defaults(const crm_config *config, crm_config *storage);

/* ---- fitting (fit.c) and standard errors (stderr.c) ---- */

/* What the fit's functions of the log-parameters theta work on, and the
 * budgets every likelihood evaluation is counted against. */
typedef struct crm__fit_ctx {
    const crm__model_ops *ops;
    crm__rows *rows;
    double l2;                /* l2_penalty (the objective only) */
    int q_shift;              /* Gamma-Gamma with spend_q_constraint: q = 1 + e^theta[1] */
    const crm_config *config; /* budgets and the progress callback; NULL: none */
    int64_t evals, max_evals;
    double start_clock, max_clock; /* clock() at the start; the limit in ticks (0: none) */
    int stop;                      /* 0 running; CRM__STOP_BUDGET or CRM__STOP_CANCEL */
} crm__fit_ctx;
enum { CRM__STOP_BUDGET = 1, CRM__STOP_CANCEL = 2 };

/* The natural parameters of log-parameters theta (q_shift applied). */
void crm__fit_params(const crm__fit_ctx *ctx, const double *theta, double *p);

/* Total log-likelihood at log-parameters theta and, when grad is not NULL
 * and the kind has an analytic gradient, its gradient in theta. ctx is a
 * crm__fit_ctx; the signature is the minimiser's (crm__objective). Counts
 * the evaluation against the budgets and reports progress; once ctx->stop
 * is set it returns NaN. */
double crm__fit_loglik(void *ctx, const double *theta, double *grad);

/* Fit with a choice of what to compute: want_stderr = 0 skips the Hessian
 * (benchmarks time the two separately). c must not be NULL. See crm_model_fit. */
crm_status crm__model_fit_ex(const crm_config *c, int kind, const crm_model_data *data, int want_stderr,
                             crm_model **out, crm_error *err);

/* Standard errors of the natural parameters at the maximum theta (log
 * space), written to se[0 .. nparams-1]; NaN where the negative Hessian is
 * not finite and positive definite. */
void crm__standard_errors(const crm__fit_ctx *ctx, const double *theta, double *se);

/* ---- predictions (predict.c) ---- */

/* The CLV terms of a configuration in its time unit (time_unit_days):
 * horizon_days as units in monthly steps, the yearly discount rate per unit,
 * the margin. One convention for crm_model_clv and the analysis. */
typedef struct crm__clv_terms {
    double horizon;
    int64_t steps;
    double rate;
    double margin;
} crm__clv_terms;
crm__clv_terms crm__clv_terms_of(const crm_config *c);

#endif /* CRM_MODELS_MODELS_H */
