/* models/models.h - the model families, their fitting and predictions, shared by
 * model.c and the per-family files (not installed). */
#ifndef CRM_MODEL_INTERNAL_H
#define CRM_MODEL_INTERNAL_H

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
};

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

/* Free every array of r (allocated with a). */
void crm__rows_free(const crm_allocator *a, crm__rows *r);

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
} crm__model_ops;

extern const crm__model_ops crm__bgnbd_ops;
extern const crm__model_ops crm__mbgnbd_ops;
extern const crm__model_ops crm__paretonbd_ops;
extern const crm__model_ops crm__gammagamma_ops;

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
/* log of the negative binomial probability of n events in t for a gamma(r, alpha) rate. */
double crm__nbd_logpmf(double r, double alpha, double t, int64_t n);

/* Gamma-Gamma conditional mean spend per purchase day (Fader, Hardie & Lee
 * 2005b eq. 5); the population mean p gamma / (q - 1) for x = 0; +inf when
 * the mean does not exist. */
double crm__gg_expected_spend(const double *p, double x, double m);

/* Fit one model kind, reading the fitting options from c. See crm_model_fit. */
crm_status crm__model_fit(const crm_config *c, int kind, const crm_model_data *data, crm_model **out,
                          crm_error *err);

/* Fit with a choice of what to compute: want_stderr = 0 skips the Hessian
 * (benchmarks time the two separately). config must not be NULL. */
crm_status crm__model_fit_ex(const crm_config *c, int kind, const crm_model_data *data, int want_stderr,
                             crm_model **out, crm_error *err);

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

#endif /* CRM_MODEL_INTERNAL_H */
