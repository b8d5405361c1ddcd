/* mbgnbd.c - MBG/NBD (Batislam, Denizel & Filiztekin 2007, "Empirical
 * validation and comparison of models for customer base analysis", IJRM
 * 24(3); as implemented in BTYDplus mbgnbd). Customers may also drop out
 * right after their first purchase, so one-time buyers are not assumed
 * alive. Formulas are shared with BG/NBD in bgnbd.c. */
#include "models/models.h"

static double mbgnbd_loglik(const double *p, crm__rows *rows, double *grad) {
    return crm__bg_family_loglik(p, rows, grad, 1);
}

/* P(alive) = 1 / (1 + a/(b+x) ((alpha+T)/(alpha+t_x))^(r+x)), for every x. */
static double mbgnbd_p_alive(const double *p, double x, double tx, double T) {
    return crm__bg_family_p_alive(p, x, tx, T, 1);
}

static double mbgnbd_expected_alive(const double *p, double t, double x, double T) {
    return crm__bg_family_expected_alive(p, t, x, T, 1);
}

static double mbgnbd_prob(const double *p, double t, int64_t n) { return crm__bg_family_prob(p, t, n, 1); }

static double mbgnbd_prob_alive(const double *p, double t, int64_t n, double x, double T) {
    return crm__bg_family_prob_alive(p, t, n, x, T, 1);
}

const crm__model_ops crm__mbgnbd_ops = {CRM_MODEL_KIND_MBGNBD,
                                        4,
                                        {"r", "alpha", "a", "b"},
                                        1,
                                        mbgnbd_loglik,
                                        crm__bg_family_start,
                                        mbgnbd_p_alive,
                                        mbgnbd_expected_alive,
                                        mbgnbd_prob,
                                        mbgnbd_prob_alive};
