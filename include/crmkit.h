/*
 * crmkit.h - customer-relationship analytics for C99.
 *
 * This header is the manual and the contract. Everything the library exports
 * is declared here with the prefix crm_ / CRM_.
 *
 * Data flows one way:
 *
 *   input views over the caller's arrays (crm_transactions, crm_interactions)
 *     -> per-customer summary                          (crm_summarize)
 *     -> population statistics over every partition    (crm_population_*)
 *     -> RFM scores, tiers, lifecycle, flags, health, models
 *     -> one columnar result table                     (crm_score / crm_result_*)
 *
 * crm_analyze() runs the whole pipeline on one partition in one call.
 *
 * Conventions used by every function below:
 * - Functions that can fail return a crm_status and take a crm_error *err as
 *   their last argument. err may be NULL; when it is not, it is filled on
 *   failure (status, offending record, field and a readable message) and
 *   cleared (status CRM_STATUS_OK, record -1, empty message) on success.
 * - Handles (crm_config, crm_summary, crm_population, crm_result, crm_model)
 *   are opaque. Every *_free() accepts NULL and does nothing then.
 * - "Borrowed" pointers returned by a handle stay valid until that handle is
 *   freed; the caller must not free them.
 * - Threads. No global mutable state: every function is reentrant, and calls
 *   on different handles may run on different threads at once. A handle passed
 *   as a const pointer is only read, so these may be shared by any number of
 *   threads at once, as long as no thread modifies it meanwhile: a
 *   crm_config (by concurrent crm_analyze, crm_summarize, crm_population_create,
 *   crm_model_fit, crm_state_create ... calls; its allocator and progress
 *   callback are then called from all those threads, so they must be
 *   thread-safe), a finished crm_population with its crm_summary handles
 *   (concurrent crm_score), a crm_result and the models it lends
 *   (crm_result_model), a crm_model, and a crm_state_handle (concurrent
 *   crm_state_result, crm_state_save, crm_state_models). Functions taking a
 *   non-const handle (crm_config_set_*, crm_population_add/finish,
 *   crm_state_add, crm_state_fit, crm_state_forget_fit,
 *   crm_state_set_progress, *_free)
 *   modify it: no other thread may use that handle during the call. Tested
 *   under ThreadSanitizer by tests/threads/test_threads.c.
 * - Every allocation goes through the crm_allocator of the crm_config the
 *   handle was made with (or malloc/free when none was given).
 * - Time is int64 seconds since 1970-01-01T00:00:00Z. A "day" is the integer
 *   floor((time + day_offset) / 86400): days since 1970-01-01 in the caller's
 *   local calendar (see CRM_OPTION_DAY_OFFSET).
 * - n below is the number of input records, c the number of customers.
 *
 * Naming: every enumeration type crm_<name> has constants CRM_<NAME>_<VALUE>
 * (crm_status: CRM_STATUS_OK, crm_fate: CRM_FATE_NONFINITE, crm_column:
 * CRM_COLUMN_MONETARY), and an id CRM_ENUM_<NAME> through which
 * crm_enum_name(), crm_enum_value(), crm_enum_count() and
 * crm_enum_description() name, parse, count and describe its values at run
 * time. No enumeration carries a compiled-in count: enumerations grow by
 * appending, so a binding asks crm_enum_count() instead.
 *
 * Growth: the input views and crm_model_data begin with struct_size, which
 * their constructors (macros over *_sized functions) set to the size the
 * caller was compiled with. A library newer than the caller reads and
 * writes only the members the caller's struct has and treats the rest as
 * "not supplied"; a view with struct_size 0 is refused
 * (CRM_STATUS_INVALID_ARGUMENT).
 */
#ifndef CRM_CRMKIT_H
#define CRM_CRMKIT_H

#include <stddef.h>
#include <stdint.h>

/* ---------------------------------------------------------------------------
 * Version. One source of truth: CMake reads these three lines.
 * ------------------------------------------------------------------------- */
#define CRM_VERSION_MAJOR  0
#define CRM_VERSION_MINOR  2
#define CRM_VERSION_PATCH  0
#define CRM_VERSION_NUMBER (CRM_VERSION_MAJOR * 10000 + CRM_VERSION_MINOR * 100 + CRM_VERSION_PATCH)

/* Export macro: hidden visibility by default, CRM_API on every public symbol.
 * On Windows, consumers of the static library define CRM_STATIC (the CMake
 * target crmkit::crmkit_static does it for them); elsewhere it changes nothing. */
#if defined(_WIN32) && !defined(CRM_STATIC)
#if defined(CRM_BUILDING)
#define CRM_API __declspec(dllexport)
#else
#define CRM_API __declspec(dllimport)
#endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#define CRM_API __attribute__((visibility("default")))
#else
#define CRM_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The library's version as CRM_VERSION_NUMBER (MAJOR*10000 + MINOR*100 + PATCH).
 * Compare with the macro to detect a header/library mismatch. O(1), never fails. */
CRM_API int crm_version(void);

/* The version as a static string "MAJOR.MINOR.PATCH". Borrowed (static). O(1). */
CRM_API const char *crm_version_string(void);

/* ---------------------------------------------------------------------------
 * Status codes. Values are explicit and only ever appended; a retired code
 * keeps its number.
 * ------------------------------------------------------------------------- */
typedef enum crm_status {
    CRM_STATUS_OK = 0,
    CRM_STATUS_INVALID_ARGUMENT = 1, /* NULL handle or pointer, bad enum id, count without data */
    CRM_STATUS_NO_MEMORY = 2,        /* the allocator returned NULL */
    CRM_STATUS_BAD_RECORD = 3,       /* strict validation: a record is invalid (see crm_error) */
    CRM_STATUS_NO_DATA = 4,          /* no record to analyse (none given, or every one rejected) */
    CRM_STATUS_BAD_OPTION = 5,       /* option value out of range, or unknown option name */
    CRM_STATUS_BAD_RULES = 6,        /* segment rule table or cut points invalid */
    CRM_STATUS_NOT_FOUND = 7,        /* column, model or group not present in this result */
    CRM_STATUS_WRONG_TYPE = 8,       /* column read with the wrong element type */
    CRM_STATUS_MISMATCH = 9,         /* partitions disagree (as-of, configuration, a customer twice) */
    CRM_STATUS_STATE = 10,           /* call out of order (e.g. scoring before crm_population_finish) */
    CRM_STATUS_NOT_CONVERGED = 11,   /* model fit did not converge (the model is still returned) */
    CRM_STATUS_NUMERIC = 12,         /* a computation could not give a finite result */
    CRM_STATUS_CANCELLED = 13,       /* the progress callback asked to stop (crm_config_set_progress) */
    CRM_STATUS_NOT_IDENTIFIED = 14,  /* the data cannot identify the model's parameters (the message
                                        says why: no repeat purchase, every T = 0, too few customers) */
    CRM_STATUS_CORRUPT = 15,         /* stored bytes damaged or truncated (bad checksum, length, content) */
    CRM_STATUS_VERSION = 16,         /* stored bytes of an unknown (newer) format version */
    CRM_STATUS_SHORT_BUFFER = 17     /* the caller's buffer is too small (the size needed is reported) */
} crm_status;
/* Names: "ok", "invalid_argument", "no_memory", ...; crm_enum_description()
 * gives a short English text ("out of memory"). */

/* Which input a record belongs to. */
typedef enum crm_input {
    CRM_INPUT_NONE = 0,
    CRM_INPUT_TRANSACTIONS = 1,
    CRM_INPUT_INTERACTIONS = 2,
    CRM_INPUT_CUSTOMERS = 3 /* customer attributes */
} crm_input;

/* Fields of the input records, for error reports. */
typedef enum crm_field {
    CRM_FIELD_NONE = 0,
    CRM_FIELD_CUSTOMER_ID = 1,
    CRM_FIELD_TIME = 2,
    CRM_FIELD_AMOUNT = 3,
    CRM_FIELD_KIND = 4,
    CRM_FIELD_VALUE = 5,
    CRM_FIELD_REF = 6,
    CRM_FIELD_COST = 7,
    CRM_FIELD_DISCOUNT = 8,
    CRM_FIELD_PURPOSE = 9,
    CRM_FIELD_BIRTHDAY = 10,
    CRM_FIELD_RELATIONSHIP_START = 11,
    CRM_FIELD_MONEY = 12,
    CRM_FIELD_AUTHORITY = 13,
    CRM_FIELD_NEED = 14,
    CRM_FIELD_TARGETED = 15
} crm_field;

/* What became of an input record: CRM_FATE_ACCEPTED, then the rejection
 * reasons. Appended only. For every input: accepted + sum of rejected = total. */
typedef enum crm_fate {
    CRM_FATE_ACCEPTED = 0,
    CRM_FATE_NONFINITE = 1,           /* amount or value is NaN or infinite */
    CRM_FATE_TIME_RANGE = 2,          /* time outside [CRM_TIME_MIN, CRM_TIME_MAX] */
    CRM_FATE_AFTER_AS_OF = 3,         /* time later than the as-of time (not used, counted) */
    CRM_FATE_UNKNOWN_KIND = 4,        /* interaction kind not a crm_kind */
    CRM_FATE_NO_COMPLAINT = 5,        /* response/resolution/follow-up with no matching complaint */
    CRM_FATE_BEFORE_COMPLAINT = 6,    /* response/resolution/follow-up earlier than its complaint */
    CRM_FATE_DUPLICATE_COMPLAINT = 7, /* a second complaint with a reference already used */
    CRM_FATE_VALUE_RANGE = 8,         /* |amount| or cost > CRM_AMOUNT_MAX, discount < 0, survey,
                                         severity or a date out of range */
    CRM_FATE_DUPLICATE_CUSTOMER = 9,  /* customer attributes: an id given more than once (every
                                         record of that id is rejected) */
    CRM_FATE_UNKNOWN_CODE = 10,       /* purpose, money/authority/need or targeted not a defined value */
    CRM_FATE_REPLACED = 11            /* customer attributes in a nightly state (crm_state_add): replaced
                                         by a later record of the same customer */
} crm_fate;
/* Names: "accepted", "nonfinite", "time_range", "after_as_of", ... */

/* The accepted range of record times: 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59Z,
 * as seconds and as day numbers. Plain literals, so that bindings can read
 * them without evaluating C. */
#define CRM_TIME_MIN      (-62135596800LL)
#define CRM_TIME_MAX      253402300799LL
#define CRM_TIME_MIN_DAYS (-719162)
#define CRM_TIME_MAX_DAYS 2932896

/* The largest accepted |amount| (and cost): 1e15 keeps every sum of amounts
 * finite and exact to the cent for any realistic currency. */
#define CRM_AMOUNT_MAX 1e15

/* Details of a failure. Caller-allocated; fixed layout for every version. */
typedef struct crm_error {
    int32_t status;    /* crm_status */
    int32_t input;     /* crm_input of the offending record, or CRM_INPUT_NONE */
    int64_t record;    /* index of the offending record in its input, or -1 */
    int32_t field;     /* crm_field, or CRM_FIELD_NONE */
    int32_t reason;    /* crm_fate of the offending record, or 0 */
    char message[240]; /* NUL-terminated English sentence(s) */
} crm_error;

/* Calendar: day numbers (days since 1970-01-01) and proleptic Gregorian
 * dates of years 1..9999, the calendar of every day column. O(1). Errors:
 * CRM_STATUS_INVALID_ARGUMENT (a NULL output, a date that does not exist
 * such as 2025-02-30, a day outside CRM_TIME_MIN_DAYS..CRM_TIME_MAX_DAYS). */
CRM_API crm_status crm_day_from_date(int32_t year, int32_t month, int32_t mday, int32_t *day, crm_error *err);
CRM_API crm_status crm_date_from_day(int32_t day, int32_t *year, int32_t *month, int32_t *mday,
                                     crm_error *err);

/* ---------------------------------------------------------------------------
 * Allocator hooks. Per configuration; every allocation of every handle made
 * from that configuration goes through them. alloc returns NULL on failure;
 * free accepts NULL. Both receive the opaque pointer unchanged.
 * ------------------------------------------------------------------------- */
typedef struct crm_allocator {
    void *(*alloc)(void *opaque, size_t size);
    void (*free)(void *opaque, void *ptr);
    void *opaque;
} crm_allocator;

/* ---------------------------------------------------------------------------
 * Input views. A view points into the caller's memory; nothing is copied and the caller keeps
 * ownership. Strides are in BYTES between consecutive elements (0 means the element size, a plain
 * array), and elements need not be aligned (packed records are fine), so an array of structs,
 * separate columns and numpy arrays of any stride can all be described. The view must stay valid
 * for the duration of the call it is passed to; nothing keeps a pointer to it afterwards.
 * ------------------------------------------------------------------------- */

/* One sale or return. amount >= 0 is a purchase (a free order included);
 * amount < 0 is a return or refund, which lowers net monetary value but is not
 * a purchase occasion. Cost and discount, when a caller has them, come as
 * extra columns of the view (crm_transactions_set_column). */
typedef struct crm_transaction {
    uint64_t customer_id;
    int64_t time;
    double amount;
} crm_transaction;

/* Transactions: three required columns and optional ones (NULL: not supplied).
 * cost: cost of the goods sold, same currency, |cost| <= CRM_AMOUNT_MAX (a
 * return may carry a negative cost); NaN means "cost not known" for that
 * record, which profit then leaves out (an infinite cost is rejected). discount: discount given on the sale,
 * finite and >= 0. */
typedef struct crm_transactions {
    size_t struct_size; /* the caller's sizeof(crm_transactions): set by the constructors */
    size_t count;
    const uint64_t *customer_id;
    size_t customer_id_stride;
    const int64_t *time;
    size_t time_stride;
    const double *amount;
    size_t amount_stride;
    const double *cost; /* optional */
    size_t cost_stride;
    const double *discount; /* optional */
    size_t discount_stride;
} crm_transactions;

/* Interaction kinds (DOMAIN section 1). Values are stable; names are the
 * canonical names used in files ("call_in", "complaint", ...). */
typedef enum crm_kind {
    CRM_KIND_NONE = 0,
    CRM_KIND_CALL_IN = 1,
    CRM_KIND_CALL_OUT = 2,
    CRM_KIND_VISIT_IN = 3,
    CRM_KIND_VISIT_OUT = 4,
    CRM_KIND_EMAIL_IN = 5,
    CRM_KIND_EMAIL_OUT = 6,
    CRM_KIND_MESSAGE_IN = 7,
    CRM_KIND_MESSAGE_OUT = 8,
    CRM_KIND_COMPLAINT = 9,             /* ref: the complaint's id; value: 0 normal, 1 major */
    CRM_KIND_COMPLAINT_RESPONSE = 10,   /* ref: the complaint's id */
    CRM_KIND_COMPLAINT_RESOLUTION = 11, /* ref: the complaint's id */
    CRM_KIND_FOLLOW_UP = 12,            /* ref: the complaint's id */
    CRM_KIND_REFERRAL = 13,
    CRM_KIND_SURVEY = 14,     /* value: score on the survey scale (0..10 by default) */
    CRM_KIND_ENGAGEMENT = 15, /* login, site or app visit */
    CRM_KIND_UNSUBSCRIBE = 16,
    CRM_KIND_RESUBSCRIBE = 17
} crm_kind;

/* What an outbound contact was for (DOMAIN section 14): the interaction
 * column purpose. none for inbound records and when not recorded. */
typedef enum crm_purpose {
    CRM_PURPOSE_NONE = 0,
    CRM_PURPOSE_VALUE = 1,        /* gives the customer something of value */
    CRM_PURPOSE_RELATIONSHIP = 2, /* keeps in touch: greetings, care */
    CRM_PURPOSE_ACTION = 3        /* asks the customer to act: an offer, a sale */
} crm_purpose;

/* One contact, complaint event, referral, survey answer, engagement event or
 * subscription change. kind is a crm_kind, purpose a crm_purpose. */
typedef struct crm_interaction {
    uint64_t customer_id;
    int64_t time;
    double value;
    uint64_t ref;
    int32_t kind;
    int32_t purpose;
} crm_interaction;

typedef struct crm_interactions {
    size_t struct_size; /* the caller's sizeof(crm_interactions): set by the constructors */
    size_t count;
    const uint64_t *customer_id;
    size_t customer_id_stride;
    const int64_t *time;
    size_t time_stride;
    const int32_t *kind;
    size_t kind_stride;
    const double *value; /* optional: every value is 0 */
    size_t value_stride;
    const uint64_t *ref; /* optional: every reference is 0 */
    size_t ref_stride;
    const int32_t *purpose; /* optional: every purpose is CRM_PURPOSE_NONE */
    size_t purpose_stride;
} crm_interactions;

/* A yes / no / unknown answer (the MAN qualification of prospects). */
typedef enum crm_answer { CRM_ANSWER_UNKNOWN = 0, CRM_ANSWER_NO = 1, CRM_ANSWER_YES = 2 } crm_answer;

/* Attributes of one customer (at most one record per customer). Days are day
 * numbers (days since 1970-01-01, see the conventions); CRM_NO_DAY when not
 * known. birthday: only its month and day matter. relationship_start: the day
 * the business relationship began (a contract, a membership). money,
 * authority, need: crm_answer. targeted: 1 when the business chose this
 * prospect as a target, else 0. A customer with attributes and no other record
 * is a row of the result (a prospect). */
typedef struct crm_customer {
    uint64_t customer_id;
    int32_t birthday;
    int32_t relationship_start;
    int32_t money;
    int32_t authority;
    int32_t need;
    int32_t targeted;
} crm_customer;

typedef struct crm_customers {
    size_t struct_size; /* the caller's sizeof(crm_customers): set by the constructors */
    size_t count;
    const uint64_t *customer_id;
    size_t customer_id_stride;
    const int32_t *birthday; /* optional columns from here on: NULL = unknown for everyone */
    size_t birthday_stride;
    const int32_t *relationship_start;
    size_t relationship_start_stride;
    const int32_t *money;
    size_t money_stride;
    const int32_t *authority;
    size_t authority_stride;
    const int32_t *need;
    size_t need_stride;
    const int32_t *targeted;
    size_t targeted_stride;
} crm_customers;

/* Constructors. Each is a macro that passes sizeof *view, the size of the
 * view as the CALLER was compiled, to the exported *_sized function (as
 * zlib's deflateInit does): a newer library then writes only the members the
 * caller's struct has and records that size in struct_size. Bindings call
 * the *_sized functions with their own struct size. */

/* Empty views: every member 0 or NULL, struct_size set. O(1). Errors:
 * CRM_STATUS_INVALID_ARGUMENT when view is NULL or struct_size is smaller
 * than the 0.2 layout's required part. */
CRM_API crm_status crm_transactions_init_sized(crm_transactions *view, size_t struct_size, crm_error *err);
CRM_API crm_status crm_interactions_init_sized(crm_interactions *view, size_t struct_size, crm_error *err);
CRM_API crm_status crm_customers_init_sized(crm_customers *view, size_t struct_size, crm_error *err);
#define crm_transactions_init(view, err) crm_transactions_init_sized((view), sizeof *(view), (err))
#define crm_interactions_init(view, err) crm_interactions_init_sized((view), sizeof *(view), (err))
#define crm_customers_init(view, err)    crm_customers_init_sized((view), sizeof *(view), (err))

/* Fill *view (replacing all of it) to describe an array of n records. No
 * copy; O(1). The crm_interaction form supplies value, ref and purpose; the
 * crm_customer form supplies every attribute. Errors as *_init, and
 * CRM_STATUS_INVALID_ARGUMENT when records is NULL with n > 0. */
CRM_API crm_status crm_transactions_from_array_sized(crm_transactions *view, size_t struct_size,
                                                     const crm_transaction *records, size_t n,
                                                     crm_error *err);
CRM_API crm_status crm_interactions_from_array_sized(crm_interactions *view, size_t struct_size,
                                                     const crm_interaction *records, size_t n,
                                                     crm_error *err);
CRM_API crm_status crm_customers_from_array_sized(crm_customers *view, size_t struct_size,
                                                  const crm_customer *records, size_t n, crm_error *err);
#define crm_transactions_from_array(view, records, n, err)                                                   \
    crm_transactions_from_array_sized((view), sizeof *(view), (records), (n), (err))
#define crm_interactions_from_array(view, records, n, err)                                                   \
    crm_interactions_from_array_sized((view), sizeof *(view), (records), (n), (err))
#define crm_customers_from_array(view, records, n, err)                                                      \
    crm_customers_from_array_sized((view), sizeof *(view), (records), (n), (err))

/* Fill *view (replacing all of it) to describe the required columns of n
 * records, each with its own stride in bytes (0 means the element size).
 * Optional columns are then added with *_set_column. No copy; O(1). Errors
 * as *_init, and CRM_STATUS_INVALID_ARGUMENT when a column is NULL with n > 0. */
CRM_API crm_status crm_transactions_from_columns_sized(crm_transactions *view, size_t struct_size,
                                                       const uint64_t *customer_id, size_t customer_id_stride,
                                                       const int64_t *time, size_t time_stride,
                                                       const double *amount, size_t amount_stride, size_t n,
                                                       crm_error *err);
CRM_API crm_status crm_interactions_from_columns_sized(crm_interactions *view, size_t struct_size,
                                                       const uint64_t *customer_id, size_t customer_id_stride,
                                                       const int64_t *time, size_t time_stride,
                                                       const int32_t *kind, size_t kind_stride, size_t n,
                                                       crm_error *err);
CRM_API crm_status crm_customers_from_columns_sized(crm_customers *view, size_t struct_size,
                                                    const uint64_t *customer_id, size_t customer_id_stride,
                                                    size_t n, crm_error *err);
#define crm_transactions_from_columns(view, customer_id, customer_id_stride, time, time_stride, amount,      \
                                      amount_stride, n, err)                                                 \
    crm_transactions_from_columns_sized((view), sizeof *(view), (customer_id), (customer_id_stride), (time), \
                                        (time_stride), (amount), (amount_stride), (n), (err))
#define crm_interactions_from_columns(view, customer_id, customer_id_stride, time, time_stride, kind,        \
                                      kind_stride, n, err)                                                   \
    crm_interactions_from_columns_sized((view), sizeof *(view), (customer_id), (customer_id_stride), (time), \
                                        (time_stride), (kind), (kind_stride), (n), (err))
#define crm_customers_from_columns(view, customer_id, customer_id_stride, n, err)                            \
    crm_customers_from_columns_sized((view), sizeof *(view), (customer_id), (customer_id_stride), (n), (err))

/* Set (or, with data NULL, remove) one column of a view, named by its
 * crm_field: the way to supply optional columns without knowing the struct's
 * layout (bindings use it). data must hold view->count elements of the
 * field's type (double for amount, cost, discount, value; int64 for time;
 * uint64 for customer_id and ref; int32 for the rest) at the given stride (0:
 * the element size). Required columns cannot be removed. O(1). Errors:
 * CRM_STATUS_INVALID_ARGUMENT (NULL view, a view with struct_size 0, a field
 * the view does not have, removing a required column). */
CRM_API crm_status crm_transactions_set_column(crm_transactions *view, int field, const void *data,
                                               size_t stride, crm_error *err);
CRM_API crm_status crm_interactions_set_column(crm_interactions *view, int field, const void *data,
                                               size_t stride, crm_error *err);
CRM_API crm_status crm_customers_set_column(crm_customers *view, int field, const void *data, size_t stride,
                                            crm_error *err);

/* ---------------------------------------------------------------------------
 * Enumerations of the result and their names.
 * ------------------------------------------------------------------------- */

/* Named RFM segments of the default map (DOMAIN section 3). */
typedef enum crm_segment {
    CRM_SEGMENT_NONE = 0, /* not scored (no purchase day) */
    CRM_SEGMENT_CHAMPIONS = 1,
    CRM_SEGMENT_LOYAL_CUSTOMERS = 2,
    CRM_SEGMENT_POTENTIAL_LOYALIST = 3,
    CRM_SEGMENT_NEW_CUSTOMERS = 4,
    CRM_SEGMENT_PROMISING = 5,
    CRM_SEGMENT_NEED_ATTENTION = 6,
    CRM_SEGMENT_ABOUT_TO_SLEEP = 7,
    CRM_SEGMENT_AT_RISK = 8,
    CRM_SEGMENT_CANT_LOSE_THEM = 9,
    CRM_SEGMENT_HIBERNATING = 10,
    CRM_SEGMENT_LOST = 11
} crm_segment;

typedef enum crm_tier {
    CRM_TIER_NONE = 0,
    CRM_TIER_KEY = 1,
    CRM_TIER_MAJOR = 2,
    CRM_TIER_REGULAR = 3,
    CRM_TIER_MINOR = 4
} crm_tier;

typedef enum crm_contribution {
    CRM_CONTRIBUTION_NONE = 0,
    CRM_CONTRIBUTION_HEAD = 1,
    CRM_CONTRIBUTION_WAIST = 2,
    CRM_CONTRIBUTION_BASE = 3
} crm_contribution;

typedef enum crm_tenure {
    CRM_TENURE_NONE = 0,
    CRM_TENURE_STRATEGIC = 1,
    CRM_TENURE_GROWTH = 2,
    CRM_TENURE_NEW = 3
} crm_tenure;

typedef enum crm_class {
    CRM_CLASS_NONE = 0,
    CRM_CLASS_HIGH_VALUE_ACTIVE = 1,
    CRM_CLASS_DORMANT_HIGH_POTENTIAL = 2,
    CRM_CLASS_REGULAR_STABLE = 3,
    CRM_CLASS_LOW_VALUE_AT_RISK = 4
} crm_class;

typedef enum crm_stage {
    CRM_STAGE_NONE = 0, /* no record at that time (previous_stage only) */
    CRM_STAGE_PROSPECT = 1,
    CRM_STAGE_NEW = 2,
    CRM_STAGE_STABLE = 3,
    CRM_STAGE_ADVOCATE = 4,
    CRM_STAGE_AT_RISK = 5,
    CRM_STAGE_LAPSED = 6,
    CRM_STAGE_REACTIVATED = 7
} crm_stage;

typedef enum crm_risk {
    CRM_RISK_NONE = 0, /* prospects */
    CRM_RISK_LOW = 1,
    CRM_RISK_MEDIUM = 2,
    CRM_RISK_HIGH = 3
} crm_risk;

typedef enum crm_health {
    CRM_HEALTH_NONE = 0,
    CRM_HEALTH_RED = 1,
    CRM_HEALTH_YELLOW = 2,
    CRM_HEALTH_GREEN = 3
} crm_health;

/* Part II enumerations (docs/DEFINITIONS.md sections 11-16). */
typedef enum crm_key_date {
    CRM_KEY_DATE_NONE = 0,
    CRM_KEY_DATE_BIRTHDAY = 1,
    CRM_KEY_DATE_ANNIVERSARY = 2
} crm_key_date;

typedef enum crm_profit_class {
    CRM_PROFIT_CLASS_NONE = 0,
    CRM_PROFIT_CLASS_TOP = 1,
    CRM_PROFIT_CLASS_PROFITABLE = 2,
    CRM_PROFIT_CLASS_UNPROFITABLE = 3
} crm_profit_class;

typedef enum crm_state {
    CRM_STATE_NONE = 0,
    CRM_STATE_NON_CUSTOMER = 1,
    CRM_STATE_POTENTIAL = 2,
    CRM_STATE_TARGET = 3,
    CRM_STATE_ACTUAL = 4,
    CRM_STATE_LOYAL = 5,
    CRM_STATE_LOST = 6
} crm_state;

typedef enum crm_qualification {
    CRM_QUALIFICATION_NONE = 0,
    CRM_QUALIFICATION_IDEAL = 1,
    CRM_QUALIFICATION_DEVELOP_NEED = 2,
    CRM_QUALIFICATION_FIND_DECISION_MAKER = 3,
    CRM_QUALIFICATION_OFFER_FINANCING = 4,
    CRM_QUALIFICATION_CULTIVATE = 5,
    CRM_QUALIFICATION_STOP_CONTACT = 6
} crm_qualification;

typedef enum crm_churn_cause {
    CRM_CHURN_CAUSE_NONE = 0,
    CRM_CHURN_CAUSE_SERVICE = 1,
    CRM_CHURN_CAUSE_PRICE = 2,
    CRM_CHURN_CAUSE_NEED_FADED = 3,
    CRM_CHURN_CAUSE_UNKNOWN = 4
} crm_churn_cause;

typedef enum crm_win_back {
    CRM_WIN_BACK_NONE = 0,
    CRM_WIN_BACK_SHOW_SERVICE_IMPROVEMENTS = 1,
    CRM_WIN_BACK_LIMITED_TIME_OFFER = 2,
    CRM_WIN_BACK_LIGHT_TOUCH = 3,
    CRM_WIN_BACK_NEEDS_SURVEY = 4
} crm_win_back;

/* Churn-risk flags: bit positions 0..63 of the churn_flags column (a
 * crm_flags set). Positions are stable and only ever appended. Test a flag
 * with (flags & CRM_FLAG_BIT(CRM_FLAG_OVERDUE)). */
typedef enum crm_flag {
    CRM_FLAG_INACTIVE = 0,
    CRM_FLAG_OVERDUE = 1,
    CRM_FLAG_FREQUENCY_DROP = 2,
    CRM_FLAG_SPEND_DROP = 3,
    CRM_FLAG_VALUE_LAPSING = 4,
    CRM_FLAG_ENGAGEMENT_DROP = 5,
    CRM_FLAG_UNSUBSCRIBED = 6,
    CRM_FLAG_OPEN_COMPLAINT = 7,
    CRM_FLAG_SLA_BREACH = 8,
    CRM_FLAG_DETRACTOR = 9,
    CRM_FLAG_CONTACT_OVERDUE = 10,
    CRM_FLAG_MIX_OFF = 11,        /* outbound contacts far from the 7:2:1 mix (does not raise risk) */
    CRM_FLAG_PRICE_SENSITIVE = 12 /* buys mostly on discounted days */
} crm_flag;
/* Names: "inactive", "sla_breach", ...; crm_enum_description() gives the
 * one-line reason for contact lists and reports. */

/* A set of up to 64 flags: bit CRM_FLAG_BIT(f) is set when flag f is raised. */
typedef uint64_t crm_flags;
#define CRM_FLAG_BIT(flag) ((crm_flags)1 << (flag))

/* Which enumeration a value belongs to, for the generic name functions.
 * Every enumeration of this header has an id here. */
typedef enum crm_enum {
    CRM_ENUM_NONE = 0,
    CRM_ENUM_SEGMENT = 1,
    CRM_ENUM_TIER = 2,
    CRM_ENUM_CONTRIBUTION = 3,
    CRM_ENUM_TENURE = 4,
    CRM_ENUM_CLASS = 5,
    CRM_ENUM_STAGE = 6,
    CRM_ENUM_RISK = 7,
    CRM_ENUM_HEALTH = 8,
    CRM_ENUM_KIND = 9,
    CRM_ENUM_TIES = 10,
    CRM_ENUM_FREQUENCY = 11,
    CRM_ENUM_VALIDATION = 12,
    CRM_ENUM_MODEL_KIND = 13,
    CRM_ENUM_FATE = 14,
    CRM_ENUM_BOOL = 15, /* "false", "true" */
    CRM_ENUM_STATUS = 16,
    CRM_ENUM_INPUT = 17,
    CRM_ENUM_FIELD = 18,
    CRM_ENUM_FLAG = 19,
    CRM_ENUM_OPTION = 20,
    CRM_ENUM_OPTION_TYPE = 21,
    CRM_ENUM_COLUMN = 22,
    CRM_ENUM_TYPE = 23,
    CRM_ENUM_UNIT = 24,
    CRM_ENUM_METRIC = 25,
    CRM_ENUM_DIM = 26,
    CRM_ENUM_PURPOSE = 27,
    CRM_ENUM_ANSWER = 28,
    CRM_ENUM_ENUM = 29, /* this enumeration itself: "segment", "tier", ... */
    CRM_ENUM_KEY_DATE = 30,
    CRM_ENUM_PROFIT_CLASS = 31,
    CRM_ENUM_STATE = 32,
    CRM_ENUM_QUALIFICATION = 33,
    CRM_ENUM_CHURN_CAUSE = 34,
    CRM_ENUM_WIN_BACK = 35,
    CRM_ENUM_PHASE = 36,
    CRM_ENUM_LIMIT = 37,
    CRM_ENUM_MODELS_SOURCE = 38
} crm_enum;

/* The canonical name of value in enumeration e: segment names as DOMAIN
 * writes them ("Champions", "Can't Lose Them"), every other name in
 * snake_case ("key", "at_risk", "call_in", "no_memory", "monetary"); value 0
 * of the result enums is "none". NULL when value is not defined in e (for
 * option types and types, value 0 is not defined). Borrowed (static). O(1). */
CRM_API const char *crm_enum_name(int e, int32_t value);

/* The value whose canonical name is name in enumeration e, or -1 when there
 * is none (or name is NULL). Exact, case-sensitive match. O(values in e). */
CRM_API int32_t crm_enum_value(int e, const char *name);

/* Number of values of enumeration e: its values run 0..count-1 (for option
 * types and types, 1..count-1). 0 for an unknown e. O(1). */
CRM_API int32_t crm_enum_count(int e);

/* A one-line English description of value in enumeration e, where the
 * library has one: statuses ("out of memory"), fates ("is NaN or
 * infinite"), flags (the reason shown on contact lists), metrics (what
 * they measure) and options (what they set). NULL otherwise. Borrowed (static). O(1). */
CRM_API const char *crm_enum_description(int e, int32_t value);

/* ---------------------------------------------------------------------------
 * Configuration: an opaque set of options, each identified by a stable
 * crm_option id and a snake_case name. Every option has a documented default;
 * a new configuration holds every default. Options may be added in later
 * versions without breaking binaries built against this one.
 * ------------------------------------------------------------------------- */
typedef struct crm_config crm_config;

typedef enum crm_ties {
    CRM_TIES_SHARED = 0, /* score = 1 + floor(k*L/n), L = customers strictly worse */
    CRM_TIES_NTILE = 1   /* SQL NTILE(k) over customers worst first, ties by id ascending */
} crm_ties;

typedef enum crm_frequency {
    CRM_FREQUENCY_PURCHASE_DAYS = 0, /* distinct days with a purchase */
    CRM_FREQUENCY_RECORDS = 1        /* purchase records (amount >= 0) */
} crm_frequency;

typedef enum crm_validation {
    CRM_VALIDATION_SKIP = 0,  /* skip bad records, count them by reason */
    CRM_VALIDATION_STRICT = 1 /* fail with CRM_STATUS_BAD_RECORD at the first bad record */
} crm_validation;

typedef enum crm_model_kind {
    CRM_MODEL_KIND_NONE = 0,
    CRM_MODEL_KIND_BGNBD = 1,
    CRM_MODEL_KIND_MBGNBD = 2,
    CRM_MODEL_KIND_PARETO_NBD = 3,
    CRM_MODEL_KIND_GAMMA_GAMMA = 4,
    CRM_MODEL_KIND_BGBB = 5 /* discrete time: rows (x, t_x, n), see crm_model_fit */
} crm_model_kind;

typedef enum crm_option_type {
    CRM_OPTION_TYPE_INT = 1,  /* int64 */
    CRM_OPTION_TYPE_REAL = 2, /* double */
    CRM_OPTION_TYPE_ENUM = 3  /* int64 holding a value of crm_option_enum() */
} crm_option_type;

/* Options. The comment gives name, type, default and range. Day counts are
 * whole days; durations of complaint handling are in seconds. Ordered pairs
 * (the tier shares, the band fractions, tenure, at-risk and lapsed bounds,
 * health bands, P(alive) risk levels) must keep their order: the analysis
 * fails with CRM_STATUS_BAD_OPTION otherwise. */
typedef enum crm_option {
    /* as_of (int): the analysed moment, seconds. Default: unset, meaning the
     * last second of the day of the latest accepted transaction (of the latest
     * interaction when there are no transactions). crm_config_reset() unsets it. */
    CRM_OPTION_AS_OF = 0,
    /* day_offset (int, seconds east of UTC): which calendar day a time falls on.
     * Default 0, range -86399..86399. */
    CRM_OPTION_DAY_OFFSET = 1,
    /* rfm_bins (int): k, the number of RFM scores. Default 5, range 2..10. */
    CRM_OPTION_RFM_BINS = 2,
    /* ties (enum crm_ties): default shared. */
    CRM_OPTION_TIES = 3,
    /* frequency_basis (enum crm_frequency): default purchase_days. */
    CRM_OPTION_FREQUENCY_BASIS = 4,
    /* validation (enum crm_validation): default skip. */
    CRM_OPTION_VALIDATION = 5,
    /* window_days (int): W of the recent/prior windows and of previous_stage.
     * Default 90, range 1..3650. */
    CRM_OPTION_WINDOW_DAYS = 6,

    /* Value tiers (DOMAIN 4). key_share 0.80, major_share 0.95,
     * regular_share 0.99 (real, 0..1, increasing). */
    CRM_OPTION_KEY_SHARE = 7,
    CRM_OPTION_MAJOR_SHARE = 8,
    CRM_OPTION_REGULAR_SHARE = 9,
    /* head_fraction 0.20, waist_fraction 0.80 (real, 0..1, increasing). */
    CRM_OPTION_HEAD_FRACTION = 10,
    CRM_OPTION_WAIST_FRACTION = 11,
    /* strategic_tenure_days 1095, growth_tenure_days 365 (int, days). */
    CRM_OPTION_STRATEGIC_TENURE_DAYS = 12,
    CRM_OPTION_GROWTH_TENURE_DAYS = 13,
    /* active_r_min 3, valuable_fm_min 3 (real, on the 1..5 scale). */
    CRM_OPTION_ACTIVE_R_MIN = 14,
    CRM_OPTION_VALUABLE_FM_MIN = 15,

    /* Lifecycle (DOMAIN 5). default_interval_days 365 (real): e when there is
     * no repeat customer. at_risk_multiple 2, at_risk_min_days 14,
     * at_risk_max_days 365; lapsed_multiple 4, lapsed_min_days 60,
     * lapsed_max_days 730 (real). new_tenure_days 90, advocate_tenure_days 180,
     * advocate_lookback_days 365 (int). advocate_survey_min 9 (real). */
    CRM_OPTION_DEFAULT_INTERVAL_DAYS = 16,
    CRM_OPTION_AT_RISK_MULTIPLE = 17,
    CRM_OPTION_AT_RISK_MIN_DAYS = 18,
    CRM_OPTION_AT_RISK_MAX_DAYS = 19,
    CRM_OPTION_LAPSED_MULTIPLE = 20,
    CRM_OPTION_LAPSED_MIN_DAYS = 21,
    CRM_OPTION_LAPSED_MAX_DAYS = 22,
    CRM_OPTION_NEW_TENURE_DAYS = 23,
    CRM_OPTION_ADVOCATE_TENURE_DAYS = 24,
    CRM_OPTION_ADVOCATE_LOOKBACK_DAYS = 25,
    CRM_OPTION_ADVOCATE_SURVEY_MIN = 26,

    /* Churn flags (DOMAIN 6). inactive_days 90, value_lapsing_days 90 (int);
     * overdue_multiple 2 (real); drop_ratio 0.5 (real); drop_min_prior 2 (int,
     * for frequency and engagement drops); detractor_max 6 (real). */
    CRM_OPTION_INACTIVE_DAYS = 27,
    CRM_OPTION_OVERDUE_MULTIPLE = 28,
    CRM_OPTION_DROP_RATIO = 29,
    CRM_OPTION_DROP_MIN_PRIOR = 30,
    CRM_OPTION_VALUE_LAPSING_DAYS = 31,
    CRM_OPTION_DETRACTOR_MAX = 32,

    /* Complaint handling (DOMAIN 6 and 9), seconds: sla_normal_seconds 86400,
     * sla_major_seconds 7200, resolution_seconds 86400, follow_up_seconds
     * 259200; complaint_lookback_days 365 (int). */
    CRM_OPTION_SLA_NORMAL_SECONDS = 33,
    CRM_OPTION_SLA_MAJOR_SECONDS = 34,
    CRM_OPTION_RESOLUTION_SECONDS = 35,
    CRM_OPTION_FOLLOW_UP_SECONDS = 36,
    CRM_OPTION_COMPLAINT_LOOKBACK_DAYS = 37,

    /* Health (DOMAIN 7): weights (real >= 0, default 1 each), engagement
     * lookback 365 days, survey_scale_max 10 (real), bands red below
     * health_red_below 50, green above health_green_above 75. */
    CRM_OPTION_WEIGHT_SCALE = 38,
    CRM_OPTION_WEIGHT_ACTIVITY = 39,
    CRM_OPTION_WEIGHT_RECENCY = 40,
    CRM_OPTION_WEIGHT_ENGAGEMENT = 41,
    CRM_OPTION_WEIGHT_COMPLAINTS = 42,
    CRM_OPTION_WEIGHT_SATISFACTION = 43,
    CRM_OPTION_ENGAGEMENT_LOOKBACK_DAYS = 44,
    CRM_OPTION_SURVEY_SCALE_MAX = 45,
    CRM_OPTION_HEALTH_RED_BELOW = 46,
    CRM_OPTION_HEALTH_GREEN_ABOVE = 47,

    /* Contact plan (DOMAIN 8), days (int); 0 means no such contact.
     * Defaults: key 30/91, major 91/182, regular 182/365, minor 365/0. */
    CRM_OPTION_CALL_DAYS_KEY = 48,
    CRM_OPTION_VISIT_DAYS_KEY = 49,
    CRM_OPTION_CALL_DAYS_MAJOR = 50,
    CRM_OPTION_VISIT_DAYS_MAJOR = 51,
    CRM_OPTION_CALL_DAYS_REGULAR = 52,
    CRM_OPTION_VISIT_DAYS_REGULAR = 53,
    CRM_OPTION_CALL_DAYS_MINOR = 54,
    CRM_OPTION_VISIT_DAYS_MINOR = 55,

    /* Models (DOMAIN 10). model (enum crm_model_kind, purchase model: none,
     * bgnbd, mbgnbd or pareto_nbd; default none); spend_model (enum bool,
     * Gamma-Gamma; default 0); time_unit_days (real, 1 = days, 7 = weeks;
     * default 7); horizon_days (real, default 365); discount_rate (real,
     * yearly, default 0.10); margin (real, 0..1, default 1); l2_penalty (real,
     * default 0: l2_penalty * sum (log param)^2 added to the mean negative
     * log-likelihood per customer, a ridge towards 1 on the log parameters,
     * see crm_model_fit); max_iterations (int, default 500); tolerance (real,
     * 1e-10); risk_p_alive_high 0.3 and risk_p_alive_medium 0.7 (real). */
    CRM_OPTION_MODEL = 56,
    CRM_OPTION_SPEND_MODEL = 57,
    CRM_OPTION_TIME_UNIT_DAYS = 58,
    CRM_OPTION_HORIZON_DAYS = 59,
    CRM_OPTION_DISCOUNT_RATE = 60,
    CRM_OPTION_MARGIN = 61,
    CRM_OPTION_L2_PENALTY = 62,
    CRM_OPTION_MAX_ITERATIONS = 63,
    CRM_OPTION_TOLERANCE = 64,
    CRM_OPTION_RISK_P_ALIVE_HIGH = 65,
    CRM_OPTION_RISK_P_ALIVE_MEDIUM = 66,

    /* threads (int): how many tasks the library's own runner runs at once.
     * Default 1, range 1..256. With the library built with threads (the
     * CMake option CRM_THREADS, on by default where POSIX threads exist) the
     * analysis runs on that many threads; without them, and when a caller
     * runner is set (crm_config_set_runner), it is ignored. Results are
     * identical, bit for bit, whatever the number of threads. */
    CRM_OPTION_THREADS = 67,

    /* Part II of docs/DEFINITIONS.md. care_lead_days (int, 14): care_due when
     * the next key date is at most this many days away. cost_call,
     * cost_visit, cost_email, cost_message, cost_complaint (real >= 0,
     * default 0): the service cost of one such interaction.
     * loyal_min_purchase_days (int, 3). mix_target_value 0.7,
     * mix_target_relationship 0.2, mix_target_action 0.1 (real, 0..1): the
     * 7:2:1 targets; mix_min_contacts (int, 10) and mix_tolerance (real, 0.2)
     * for the mix_off flag. price_sensitive_share (real, 0.5). */
    CRM_OPTION_CARE_LEAD_DAYS = 68,
    CRM_OPTION_COST_CALL = 69,
    CRM_OPTION_COST_VISIT = 70,
    CRM_OPTION_COST_EMAIL = 71,
    CRM_OPTION_COST_MESSAGE = 72,
    CRM_OPTION_COST_COMPLAINT = 73,
    CRM_OPTION_LOYAL_MIN_PURCHASE_DAYS = 74,
    CRM_OPTION_MIX_TARGET_VALUE = 75,
    CRM_OPTION_MIX_TARGET_RELATIONSHIP = 76,
    CRM_OPTION_MIX_TARGET_ACTION = 77,
    CRM_OPTION_MIX_MIN_CONTACTS = 78,
    CRM_OPTION_MIX_TOLERANCE = 79,
    CRM_OPTION_PRICE_SENSITIVE_SHARE = 80,

    /* Budgets of one model fit, beside max_iterations: max_evaluations
     * (int, default 100000, range 1..1e9) likelihood evaluations, and
     * fit_seconds (real, default 0 = no limit, range 0..1e6) seconds of
     * processor time (C clock(): the process's, so other threads count).
     * A fit that exhausts a budget stops at the best point it reached with
     * CRM_STATUS_NOT_CONVERGED, like one out of iterations. */
    CRM_OPTION_MAX_EVALUATIONS = 81,
    CRM_OPTION_FIT_SECONDS = 82,
    /* spend_q_constraint (enum bool, default 0): fit Gamma-Gamma with
     * q > 1 (q = 1 + e^theta), so that its mean spend p gamma / (q - 1)
     * exists; lifetimes' q_constraint. Without it a fit with q <= 1 has no
     * mean, and expected_spend and clv are NaN (see crm_model_message). */
    CRM_OPTION_SPEND_Q_CONSTRAINT = 83
} crm_option;
/* Names: the snake_case names above ("as_of", "rfm_bins", ...); count and
 * names at run time through CRM_ENUM_OPTION. */

/* Create a configuration holding every default. allocator may be NULL
 * (malloc/free); it is copied, and used for every allocation of this
 * configuration and of every handle made from it, so its functions must stay
 * callable until all of those are freed. On success *out owns the new
 * configuration (free with crm_config_free).
 * Errors: CRM_STATUS_INVALID_ARGUMENT (out NULL, or an allocator with a NULL
 * function), CRM_STATUS_NO_MEMORY. O(1). */
CRM_API crm_status crm_config_create(const crm_allocator *allocator, crm_config **out, crm_error *err);

/* Deep copy of a configuration (options, cut points, segment rules), using
 * the same allocator. Errors: CRM_STATUS_INVALID_ARGUMENT, CRM_STATUS_NO_MEMORY.
 * O(size of the rule table). */
CRM_API crm_status crm_config_clone(const crm_config *config, crm_config **out, crm_error *err);

/* Free a configuration. NULL is a no-op. Handles made from it remain valid
 * (they keep what they need). O(1). */
CRM_API void crm_config_free(crm_config *config);

/* Set an integer or enum option. Errors: CRM_STATUS_INVALID_ARGUMENT (config NULL,
 * unknown option), CRM_STATUS_WRONG_TYPE (a real option), CRM_STATUS_BAD_OPTION (value
 * out of range; the message gives the range). The configuration is unchanged
 * on failure. O(1). */
CRM_API crm_status crm_config_set_int(crm_config *config, int option, int64_t value, crm_error *err);

/* Set a real option (integer options accept integral reals too). Errors as
 * crm_config_set_int; NaN is always out of range. O(1). */
CRM_API crm_status crm_config_set_real(crm_config *config, int option, double value, crm_error *err);

/* Set an option from text, as a CLI or a binding would: name is the option's
 * snake_case name, value a number or, for an enum option, a value name
 * ("ntile", "strict", "bgnbd"). Numbers are read by strtod, so in the C
 * locale's format unless the program changed LC_NUMERIC. Errors:
 * CRM_STATUS_INVALID_ARGUMENT (NULL),
 * CRM_STATUS_BAD_OPTION (unknown name, unparsable or out-of-range value).
 * O(options + length of value). */
CRM_API crm_status crm_config_set_text(crm_config *config, const char *name, const char *value,
                                       crm_error *err);

/* Restore an option's default (for as_of: unset). Errors:
 * CRM_STATUS_INVALID_ARGUMENT. O(1). */
CRM_API crm_status crm_config_reset(crm_config *config, int option, crm_error *err);

/* Read an option. Integer and enum options read as reals too; a real option
 * read as int fails with CRM_STATUS_WRONG_TYPE. as_of reads as INT64_MIN while
 * unset. Errors: CRM_STATUS_INVALID_ARGUMENT (NULL, unknown option). O(1). */
CRM_API crm_status crm_config_get_int(const crm_config *config, int option, int64_t *value, crm_error *err);
CRM_API crm_status crm_config_get_real(const crm_config *config, int option, double *value, crm_error *err);

/* Option metadata, independent of any configuration (names: crm_enum_name
 * with CRM_ENUM_OPTION). Type: the crm_option_type, 0 for an unknown option.
 * Enum: the crm_enum of an enum option, else CRM_ENUM_NONE. O(1). */
CRM_API int crm_option_type_of(int option);
CRM_API int crm_option_enum(int option);

/* Bounds and default of an option as reals. Any output may be NULL. Errors:
 * CRM_STATUS_INVALID_ARGUMENT (unknown option). O(1). */
CRM_API crm_status crm_option_bounds(int option, double *min, double *max, crm_error *err);
CRM_API crm_status crm_option_default(int option, double *value, crm_error *err);

/* Parallel work. The library splits an analysis into tasks whose outputs
 * are disjoint and merges them in a fixed order, so the result never depends
 * on how the tasks were scheduled. A caller that has its own thread pool
 * hands it over as a runner: run(opaque, count, task, arg) must call
 * task(arg, i) once for every i in 0..count-1, in any order and on any
 * threads, and return when all have returned. workers (>= 1) is how many
 * tasks may run at once; the library makes about that many tasks per stage.
 * Tasks never call the allocator, so allocator hooks need not be thread-safe. */
typedef void (*crm_task)(void *arg, size_t index);
typedef struct crm_runner {
    void (*run)(void *opaque, size_t count, crm_task task, void *arg);
    void *opaque;
    size_t workers;
} crm_runner;

/* Use runner for every analysis made with config (copied; NULL restores the
 * library's own runner, which follows the threads option). Errors:
 * CRM_STATUS_INVALID_ARGUMENT (NULL config, a runner with a NULL run or 0
 * workers). O(1). */
CRM_API crm_status crm_config_set_runner(crm_config *config, const crm_runner *runner, crm_error *err);

/* 1 when this build of the library can run the threads option on threads of
 * its own, else 0. O(1). */
CRM_API int crm_threads_available(void);

/* Progress and cancellation. The phases of long work a progress callback
 * hears of: the stages of crm_analyze (summarize, population: adding and
 * finishing, which fits the models, score) and model fits. */
typedef enum crm_phase {
    CRM_PHASE_SUMMARIZE = 0,  /* done, total: stages finished of crm_analyze's 3 */
    CRM_PHASE_POPULATION = 1, /* as above */
    CRM_PHASE_SCORE = 2,      /* as above; (SCORE, 3, 3) when the analysis is complete (its
                                 return value is then ignored) */
    CRM_PHASE_FIT = 3         /* done: likelihood evaluations so far, total: max_evaluations */
} crm_phase;
/* Names: "summarize", "population", "score", "fit". */

/* The callback: phase is a crm_phase, done and total its progress (above).
 * Return 0 to go on, anything else to stop: the call under way then
 * returns CRM_STATUS_CANCELLED and gives no handle. Called on the calling
 * thread, never from the library's worker threads, at least once per
 * likelihood evaluation of a fit (a few milliseconds on 10^4 distinct
 * rows) and between the stages of crm_analyze; never after the call it
 * belongs to has returned. It must not use the configuration or any handle
 * of the call under way. */
typedef int (*crm_progress_fn)(void *opaque, int phase, int64_t done, int64_t total);

/* Have every fit and analysis made with config report to fn (NULL: no
 * callback; the default). opaque is passed to fn unchanged. Clones and the
 * handles made from config keep the callback: a population finishing its
 * fits reports to the callback of the configuration it was created with.
 * The callback does not change results and is not compared between
 * partitions. Errors: CRM_STATUS_INVALID_ARGUMENT (config NULL). O(1). */
CRM_API crm_status crm_config_set_progress(crm_config *config, crm_progress_fn fn, void *opaque,
                                           crm_error *err);

/* RFM dimensions, for cut points. */
typedef enum crm_dim {
    CRM_DIM_R = 0, /* recency_days; fewer is better */
    CRM_DIM_F = 1, /* purchase_days (or purchase records); more is better */
    CRM_DIM_M = 2  /* net monetary; more is better */
} crm_dim;

/* Supply the cut points of one dimension instead of computing them from the
 * population. thresholds holds t_2..t_k (k-1 values, k = rfm_bins at the time
 * of the analysis); score = 1 + the number of thresholds the value reaches,
 * where F and M reach t when value >= t (thresholds nondecreasing) and R
 * reaches t when recency <= t (thresholds nonincreasing). n = 0 (thresholds
 * may be NULL) returns the dimension to computed cut points. Copied.
 * Errors: CRM_STATUS_INVALID_ARGUMENT, CRM_STATUS_BAD_RULES (NaN, or out of order),
 * CRM_STATUS_NO_MEMORY. A count that differs from rfm_bins - 1 is reported by the
 * analysis (CRM_STATUS_BAD_RULES). O(n). */
CRM_API crm_status crm_config_set_cut_points(crm_config *config, int dim, const double *thresholds, size_t n,
                                             crm_error *err);

/* A rule of a caller segment map: customers whose scores lie in the
 * half-open ranges [r_min, r_max) x [f_min, f_max) x [m_min, m_max) get the
 * segment named name. Scores run 1..k. */
typedef struct crm_segment_rule {
    const char *name;
    int32_t r_min, r_max;
    int32_t f_min, f_max;
    int32_t m_min, m_max;
} crm_segment_rule;

/* Replace the default segment map by a rule table. The table must cover each
 * of the k^3 cells (k = the current rfm_bins) exactly once; names are copied.
 * The segment column then holds 1 + the index of the matching rule, and
 * crm_result_label() gives its name. n = 0 restores the default map.
 * Errors: CRM_STATUS_INVALID_ARGUMENT (NULL with n > 0, an empty or NULL name),
 * CRM_STATUS_BAD_RULES (overlaps or uncovered cells, named in the message as
 * cell codes such as 345), CRM_STATUS_NO_MEMORY. If rfm_bins changes later the
 * table is validated again by the analysis. O(n * k^3). */
CRM_API crm_status crm_config_set_segment_rules(crm_config *config, const crm_segment_rule *rules, size_t n,
                                                crm_error *err);

/* ---------------------------------------------------------------------------
 * Result table: one row per customer (every customer with an accepted
 * record), sorted by customer id ascending; columns identified by stable
 * crm_column ids. Column arrays are contiguous and borrowed from the result.
 * ------------------------------------------------------------------------- */
typedef struct crm_result crm_result;

typedef enum crm_type {
    CRM_TYPE_NONE = 0,
    CRM_TYPE_U64 = 1, /* uint64_t: ids, flag sets */
    CRM_TYPE_I64 = 2, /* int64_t: counts */
    CRM_TYPE_I32 = 3, /* int32_t: days, scores, enumerations, booleans */
    CRM_TYPE_F64 = 4  /* double: money, ratios, model values; NaN = not applicable */
} crm_type;

/* Value of a day or whole-day column where it does not apply (no purchase). */
enum { CRM_NO_DAY = (-2147483647 - 1) };

/* Column ids. The name in the comment is the contract shared by the C table,
 * the Python binding and CSV output; type in brackets. Days are day numbers
 * (days since 1970-01-01 in the day_offset calendar); "days" columns are
 * differences of days. CRM_NO_DAY / NaN mark a value that does not apply. */
typedef enum crm_column {
    CRM_COLUMN_CUSTOMER_ID = 0,             /* customer_id [u64] */
    CRM_COLUMN_FIRST_PURCHASE = 1,          /* first_purchase [i32 day] */
    CRM_COLUMN_LAST_PURCHASE = 2,           /* last_purchase [i32 day] */
    CRM_COLUMN_TENURE_DAYS = 3,             /* tenure_days [i32]: as-of day - first purchase day */
    CRM_COLUMN_RECENCY_DAYS = 4,            /* recency_days [i32]: as-of day - last purchase day */
    CRM_COLUMN_PURCHASE_DAYS = 5,           /* purchase_days [i64]: distinct days with a purchase */
    CRM_COLUMN_TRANSACTIONS = 6,            /* transactions [i64]: purchase records (amount >= 0) */
    CRM_COLUMN_MONETARY = 7,                /* monetary [f64]: net = gross - returns_amount */
    CRM_COLUMN_GROSS = 8,                   /* gross [f64]: sum of purchase amounts */
    CRM_COLUMN_RETURNS_AMOUNT = 9,          /* returns_amount [f64]: sum of |returns| (>= 0) */
    CRM_COLUMN_RETURNS_COUNT = 10,          /* returns_count [i64]: return records */
    CRM_COLUMN_AVG_SPEND = 11,              /* avg_spend [f64]: monetary / purchase_days */
    CRM_COLUMN_MEDIAN_INTERVAL_DAYS = 12,   /* median_interval_days [f64]: median gap of purchase days */
    CRM_COLUMN_RECENT_PURCHASE_DAYS = 13,   /* recent_purchase_days [i64]: in (asof-W, asof] */
    CRM_COLUMN_PRIOR_PURCHASE_DAYS = 14,    /* prior_purchase_days [i64]: in (asof-2W, asof-W] */
    CRM_COLUMN_RECENT_AMOUNT = 15,          /* recent_amount [f64]: net amount in the recent window */
    CRM_COLUMN_PRIOR_AMOUNT = 16,           /* prior_amount [f64]: net amount in the prior window */
    CRM_COLUMN_R_SCORE = 17,                /* r_score [i32]: 1..k, 0 = not scored */
    CRM_COLUMN_F_SCORE = 18,                /* f_score [i32] */
    CRM_COLUMN_M_SCORE = 19,                /* m_score [i32] */
    CRM_COLUMN_RFM_CELL = 20,               /* rfm_cell [i32]: 100 R + 10 F + M (k <= 9), else R*121+F*11+M */
    CRM_COLUMN_RFM_TOTAL = 21,              /* rfm_total [i32]: R + F + M */
    CRM_COLUMN_SEGMENT = 22,                /* segment [i32 enum crm_segment, or rule index + 1] */
    CRM_COLUMN_VALUE_TIER = 23,             /* value_tier [i32 enum crm_tier] */
    CRM_COLUMN_CONTRIBUTION_BAND = 24,      /* contribution_band [i32 enum] */
    CRM_COLUMN_TENURE_BAND = 25,            /* tenure_band [i32 enum] */
    CRM_COLUMN_VALUE_CLASS = 26,            /* value_class [i32 enum] */
    CRM_COLUMN_LIFECYCLE_STAGE = 27,        /* lifecycle_stage [i32 enum crm_stage] */
    CRM_COLUMN_PREVIOUS_STAGE = 28,         /* previous_stage [i32 enum crm_stage] */
    CRM_COLUMN_EXPECTED_INTERVAL_DAYS = 29, /* expected_interval_days [f64] */
    CRM_COLUMN_OVERDUE_RATIO = 30,          /* overdue_ratio [f64]: recency / expected interval */
    CRM_COLUMN_CHURN_FLAGS = 31,            /* churn_flags [u64 crm_flags] */
    CRM_COLUMN_RISK_LEVEL = 32,             /* risk_level [i32 enum crm_risk] */
    CRM_COLUMN_HEALTH_SCORE = 33,           /* health_score [f64] 0..100 */
    CRM_COLUMN_HEALTH_BAND = 34,            /* health_band [i32 enum crm_health] */
    CRM_COLUMN_LAST_CALL = 35,              /* last_call [i32 day]: latest outbound call */
    CRM_COLUMN_LAST_VISIT = 36,             /* last_visit [i32 day]: latest outbound visit */
    CRM_COLUMN_NEXT_CALL_DUE = 37,          /* next_call_due [i32 day] */
    CRM_COLUMN_NEXT_VISIT_DUE = 38,         /* next_visit_due [i32 day] */
    CRM_COLUMN_CONTACT_OVERDUE = 39,        /* contact_overdue [i32 bool] */
    CRM_COLUMN_COMPLAINTS = 40,             /* complaints [i64]: opened within the lookback */
    CRM_COLUMN_OPEN_COMPLAINTS = 41,        /* open_complaints [i64]: without resolution, any age */
    CRM_COLUMN_SLA_BREACHES = 42,           /* sla_breaches [i64] */
    CRM_COLUMN_REFERRALS = 43,              /* referrals [i64] */
    CRM_COLUMN_LAST_SURVEY_SCORE = 44,      /* last_survey_score [f64] */
    CRM_COLUMN_RECENT_ENGAGEMENT = 45,      /* recent_engagement [i64]: engagement events, recent window */
    CRM_COLUMN_PRIOR_ENGAGEMENT = 46,       /* prior_engagement [i64]: engagement events, prior window */
    CRM_COLUMN_UNSUBSCRIBED = 47,           /* unsubscribed [i32 bool] */
    CRM_COLUMN_X = 48,                      /* x [f64]: repeat purchase days (purchase_days - 1) */
    CRM_COLUMN_T_X = 49,                    /* t_x [f64]: first to last purchase day, in time units */
    CRM_COLUMN_T = 50,                      /* T [f64]: first purchase day to as-of day, in time units */
    CRM_COLUMN_REPEAT_SPEND = 51,           /* repeat_spend [f64]: mean net spend per repeat purchase day */
    CRM_COLUMN_P_ALIVE = 52,                /* p_alive [f64] */
    CRM_COLUMN_EXPECTED_PURCHASES = 53,     /* expected_purchases [f64]: in horizon_days */
    CRM_COLUMN_EXPECTED_SPEND = 54,         /* expected_spend [f64]: per purchase day (Gamma-Gamma) */
    CRM_COLUMN_CLV = 55,                    /* clv [f64]: discounted margin over horizon_days */
    CRM_COLUMN_HOLDOUT_PURCHASES = 56,      /* holdout_purchases [i64] (crm_calibration_split) */
    CRM_COLUMN_MEDIAN_RESPONSE_HOURS = 57,  /* median_response_hours [f64]: first complaint responses */
    CRM_COLUMN_LAST_INBOUND = 58,           /* last_inbound [i32 day]: latest *_in contact */
    CRM_COLUMN_LAST_OUTBOUND = 59,          /* last_outbound [i32 day]: latest *_out contact */
    /* Part II of docs/DEFINITIONS.md: not applicable (CRM_NO_DAY, NaN, none)
     * where the input it needs was not supplied. */
    CRM_COLUMN_NEXT_BIRTHDAY = 60, /* next_birthday [i32 day] */
    CRM_COLUMN_NEXT_ANNIVERSARY =
        61, /* next_anniversary [i32 day]: of relationship_start or the first purchase */
    CRM_COLUMN_RELATIONSHIP_YEARS = 62,    /* relationship_years [i32] at the next anniversary */
    CRM_COLUMN_NEXT_KEY_DATE = 63,         /* next_key_date [i32 day] */
    CRM_COLUMN_KEY_DATE_KIND = 64,         /* key_date_kind [i32 enum crm_key_date] */
    CRM_COLUMN_CARE_DUE = 65,              /* care_due [i32 bool] */
    CRM_COLUMN_MILESTONE_ANNIVERSARY = 66, /* milestone_anniversary [i32 bool] */
    CRM_COLUMN_GROSS_PROFIT = 67,     /* gross_profit [f64]: sum of amount - cost where the cost is known */
    CRM_COLUMN_SERVICE_COST = 68,     /* service_cost [f64]: interactions priced by the cost_* options */
    CRM_COLUMN_PROFIT = 69,           /* profit [f64] = gross_profit - service_cost */
    CRM_COLUMN_PROFIT_COVERAGE = 70,  /* profit_coverage [f64]: share of net amount with a cost */
    CRM_COLUMN_PROFIT_CLASS = 71,     /* profit_class [i32 enum crm_profit_class] */
    CRM_COLUMN_CUSTOMER_STATE = 72,   /* customer_state [i32 enum crm_state] */
    CRM_COLUMN_QUALIFICATION = 73,    /* qualification [i32 enum crm_qualification] */
    CRM_COLUMN_MAN_KNOWN = 74,        /* man_known [i32]: of money, authority, need, how many are known */
    CRM_COLUMN_MIX_VALUE = 75,        /* mix_value [f64]: share of purposed outbound contacts, 365 days */
    CRM_COLUMN_MIX_RELATIONSHIP = 76, /* mix_relationship [f64] */
    CRM_COLUMN_MIX_ACTION = 77,       /* mix_action [f64] */
    CRM_COLUMN_MIX_DISTANCE = 78,     /* mix_distance [f64]: half the sum of distances from the targets */
    CRM_COLUMN_REPEAT_PURCHASE_DAYS = 79,  /* repeat_purchase_days [i64] = purchase_days - 1 */
    CRM_COLUMN_DISCOUNT_SHARE = 80,        /* discount_share [f64]: discounts / list value of purchases */
    CRM_COLUMN_DISCOUNTED_DAYS_SHARE = 81, /* discounted_days_share [f64] */
    CRM_COLUMN_CHURN_CAUSE = 82,           /* churn_cause [i32 enum crm_churn_cause] */
    CRM_COLUMN_WIN_BACK = 83,              /* win_back [i32 enum crm_win_back] */
    CRM_COLUMN_HOLDOUT_SPEND = 84,         /* holdout_spend [f64] (crm_calibration_split) */
    CRM_COLUMN_HOLDOUT_DURATION = 85       /* holdout_duration [f64 time units] (crm_calibration_split) */
} crm_column;
/* Names: the names in the comments; count at run time through CRM_ENUM_COLUMN. */

/* What a column's numbers measure, for formatting and bindings. */
typedef enum crm_unit {
    CRM_UNIT_NONE = 0,
    CRM_UNIT_ID = 1,          /* a customer id */
    CRM_UNIT_DAY = 2,         /* a day number: days since 1970-01-01 in the day_offset calendar */
    CRM_UNIT_DAYS = 3,        /* a number of days */
    CRM_UNIT_COUNT = 4,       /* a number of records, days or events */
    CRM_UNIT_MONEY = 5,       /* the currency of the amounts */
    CRM_UNIT_SCORE = 6,       /* RFM scores 1..k, cell codes and totals */
    CRM_UNIT_ENUM = 7,        /* codes named by crm_result_label */
    CRM_UNIT_FLAGS = 8,       /* a bit set of crm_flag */
    CRM_UNIT_BOOL = 9,        /* 0 or 1 */
    CRM_UNIT_RATIO = 10,      /* dimensionless: a ratio or a probability */
    CRM_UNIT_POINTS = 11,     /* a 0..100 score or a survey score */
    CRM_UNIT_TIME_UNITS = 12, /* the models' time unit (time_unit_days) */
    CRM_UNIT_HOURS = 13
} crm_unit;

/* Column metadata, independent of any result (names: crm_enum_name with
 * CRM_ENUM_COLUMN): the crm_type (CRM_TYPE_NONE for an unknown id) and the
 * crm_enum of an enumeration column (CRM_ENUM_NONE otherwise). O(1). */
CRM_API int crm_column_type(int column);
CRM_API int crm_column_enum(int column);
/* The crm_unit of a column; CRM_UNIT_NONE for an unknown id. O(1). */
CRM_API int crm_column_unit(int column);

/* Free a result. NULL is a no-op. O(1). */
CRM_API void crm_result_free(crm_result *result);

/* Number of rows (customers). 0 for NULL. O(1). */
CRM_API size_t crm_result_rows(const crm_result *result);

/* 1 if the result holds column, else 0 (model columns only when a model was
 * enabled, for example). O(1). */
CRM_API int crm_result_has_column(const crm_result *result, int column);

/* A borrowed pointer to the contiguous array of a column (rows elements of
 * crm_column_type(column)) and its type. Errors: CRM_STATUS_INVALID_ARGUMENT
 * (NULL), CRM_STATUS_NOT_FOUND (column absent). O(1). */
CRM_API crm_status crm_result_column(const crm_result *result, int column, int *type, const void **data,
                                     crm_error *err);

/* Typed shortcuts: the column array, or NULL when the result is NULL, the
 * column is absent or has another type. Borrowed. O(1). */
CRM_API const uint64_t *crm_result_u64(const crm_result *result, int column);
CRM_API const int64_t *crm_result_i64(const crm_result *result, int column);
CRM_API const int32_t *crm_result_i32(const crm_result *result, int column);
CRM_API const double *crm_result_f64(const crm_result *result, int column);

/* Row of a customer id, or -1 when absent. O(log rows). */
CRM_API int64_t crm_result_find(const crm_result *result, uint64_t customer_id);

/* Name of value in an enumeration column of this result: like crm_enum_name,
 * but the segment column of a result made with caller segment rules gives the
 * rule names. NULL when not an enumeration column or not a defined value.
 * Borrowed. O(1). */
CRM_API const char *crm_result_label(const crm_result *result, int column, int32_t value);

/* Number of values of an enumeration column of this result (values run
 * 0..count-1): the enumeration's count, or 1 + the number of rules for the
 * segment column of a result made with caller rules. 0 when not an
 * enumeration column. O(1). */
CRM_API int32_t crm_result_label_count(const crm_result *result, int column);

/* The as-of time and as-of day the result describes. INT64_MIN / CRM_NO_DAY
 * for NULL. O(1). */
CRM_API int64_t crm_result_as_of(const crm_result *result);
CRM_API int32_t crm_result_as_of_day(const crm_result *result);

/* Record accounting: how many records of an input met a fate
 * (CRM_FATE_ACCEPTED or a rejection reason), and the total given. For each
 * input, total == sum over fates. 0 for NULL or an unknown input/fate. O(1). */
CRM_API int64_t crm_result_records(const crm_result *result, int input, int fate);
CRM_API int64_t crm_result_records_total(const crm_result *result, int input);

/* The RFM cut points used for one dimension (t_2..t_k in the form of
 * crm_config_set_cut_points; +inf / -inf for a score no customer reached):
 * copies up to capacity values into out and sets *n to k - 1. For the ntile
 * policy t_s is the value of the first customer of tile s. Errors:
 * CRM_STATUS_INVALID_ARGUMENT, CRM_STATUS_NOT_FOUND (no customer was scored). O(k). */
CRM_API crm_status crm_result_cut_points(const crm_result *result, int dim, double *out, size_t capacity,
                                         size_t *n, crm_error *err);

/* ---------------------------------------------------------------------------
 * The pipeline.
 * ------------------------------------------------------------------------- */

/* Analyse one set of records: summary, RFM scores, tiers, lifecycle, flags,
 * health, contact plan and, when enabled, models. Any of transactions,
 * interactions and customers (attributes) may be NULL, not all three; a view
 * must have its struct_size set (use the *_init or *_from_* functions).
 * config may be NULL (defaults). On
 * success *out owns the result (crm_result_free). Bad records are skipped and
 * counted (validation skip) or fail the call (strict). Errors:
 * CRM_STATUS_INVALID_ARGUMENT (out NULL, both inputs NULL, a view with a NULL
 * column and count > 0), CRM_STATUS_BAD_RECORD (strict; err names the record,
 * field and reason), CRM_STATUS_NO_DATA (no record given, or none
 * accepted), CRM_STATUS_BAD_RULES (cut points or segment rules do not fit
 * rfm_bins), CRM_STATUS_NO_MEMORY. Model convergence failures do not fail the
 * analysis; they are reported by the model handle. Complexity
 * O(n log n) time, O(n + c) memory. Equivalent to crm_summarize +
 * crm_population_add + crm_population_finish + crm_score. */
CRM_API crm_status crm_analyze(const crm_config *config, const crm_transactions *transactions,
                               const crm_interactions *interactions, const crm_customers *customers,
                               crm_result **out, crm_error *err);

/* Partitioned pipeline. Split the customer base into partitions (every record
 * of a customer in the same partition), summarise each, add every summary to
 * one population, finish it, then score each summary against it: the
 * resulting tables are identical, row for row, to the rows of one crm_analyze
 * over everything. Partitions must share the configuration and the as-of time
 * (set CRM_OPTION_AS_OF: the default as-of depends on the data). Summaries and
 * the finished population are read-only and may be scored from several
 * threads at once. */
typedef struct crm_summary crm_summary;
typedef struct crm_population crm_population;

/* Summarise one partition: validates and accounts for every record, then
 * builds each customer's facts. Arguments and errors as crm_analyze.
 * O(n log n) time, O(n + c) memory. */
CRM_API crm_status crm_summarize(const crm_config *config, const crm_transactions *transactions,
                                 const crm_interactions *interactions, const crm_customers *customers,
                                 crm_summary **out, crm_error *err);
CRM_API void crm_summary_free(crm_summary *summary);
/* Customers in the summary; 0 for NULL. O(1). */
CRM_API size_t crm_summary_customers(const crm_summary *summary);
/* As-of time the summary was made for; INT64_MIN for NULL. O(1). */
CRM_API int64_t crm_summary_as_of(const crm_summary *summary);

/* Create an empty population for config (NULL: defaults). Errors:
 * CRM_STATUS_INVALID_ARGUMENT, CRM_STATUS_NO_MEMORY. O(1). */
CRM_API crm_status crm_population_create(const crm_config *config, crm_population **out, crm_error *err);
/* Add one partition's summary (its statistics are copied; the summary may be
 * freed afterwards). Errors: CRM_STATUS_INVALID_ARGUMENT, CRM_STATUS_STATE (already
 * finished), CRM_STATUS_MISMATCH (different as-of time or configuration),
 * CRM_STATUS_NO_MEMORY. O(c log c) amortised. */
CRM_API crm_status crm_population_add(crm_population *population, const crm_summary *summary, crm_error *err);
/* Compute the population statistics (cut points, tier shares, median
 * intervals, ranks) and fit the enabled models. Errors:
 * CRM_STATUS_INVALID_ARGUMENT, CRM_STATUS_STATE (finished twice), CRM_STATUS_MISMATCH (a
 * customer in two partitions), CRM_STATUS_BAD_RULES, CRM_STATUS_NO_MEMORY.
 * O(C log C) for C customers over all partitions, plus model fitting. */
CRM_API crm_status crm_population_finish(crm_population *population, crm_error *err);
CRM_API void crm_population_free(crm_population *population);

/* Populations as bytes, for partitions summarised on other machines or
 * processes (the Python package's crmkit.dask). crm_population_save writes
 * the population in a versioned, checksummed byte format that does not
 * depend on the machine (little-endian, varints): before
 * crm_population_finish it is the population's contribution (the customer
 * ids, the gathered rank columns, the median intervals and, when a model is
 * enabled, each scored customer's model inputs: O(c) bytes for c customers);
 * after it, the finished statistics (ranked columns, cut points, expected
 * intervals, fitted models) that crm_score reads. buffer may be NULL with
 * capacity 0 to ask for the size (*size); a capacity below it fails with
 * CRM_STATUS_SHORT_BUFFER. The population is not changed. Errors:
 * CRM_STATUS_INVALID_ARGUMENT, CRM_STATUS_SHORT_BUFFER. O(c) time, O(1)
 * extra memory (a finished population: O(C) for C customers over all
 * partitions).
 *
 * crm_population_load makes a new population (*out, owned:
 * crm_population_free) from exactly size bytes, with config's allocator and
 * options (NULL: defaults): pass the configuration the population was made
 * with; the bytes carry only a digest of it (every option that changes
 * results, cut points, segment rules; not the as-of) and loading under
 * another fails with CRM_STATUS_MISMATCH, as does a config whose as_of is
 * set to another time than the population's. An unfinished population loads ready for
 * crm_population_add, crm_population_merge and crm_population_finish; a
 * finished one ready for crm_score, and a summary is accepted by crm_score
 * when it has the content (as-of, customers and their facts, compared by a
 * fingerprint) of a summary added before saving, wherever it was made, so a
 * partition can be summarised again on the machine that scores it. Every
 * read is checked. Errors: CRM_STATUS_INVALID_ARGUMENT, CRM_STATUS_CORRUPT
 * (not a population, truncated, bad checksum, inconsistent content),
 * CRM_STATUS_VERSION (a newer format), CRM_STATUS_MISMATCH (another
 * configuration or as-of), CRM_STATUS_BAD_OPTION and
 * CRM_STATUS_BAD_RULES (config), CRM_STATUS_NO_MEMORY. O(size) time and
 * memory. */
CRM_API crm_status crm_population_save(const crm_population *population, void *buffer, size_t capacity,
                                       size_t *size, crm_error *err);
CRM_API crm_status crm_population_load(const crm_config *config, const void *bytes, size_t size,
                                       crm_population **out, crm_error *err);
/* Add what another unfinished population gathered (e.g. a partition's
 * contribution loaded with crm_population_load) to into; part is not
 * changed. Merging then finishing equals adding every summary to one
 * population, in any order. Errors: CRM_STATUS_INVALID_ARGUMENT (NULL, or
 * into == part), CRM_STATUS_STATE (either finished), CRM_STATUS_MISMATCH
 * (different as-of times or configurations; a customer in both is reported
 * by crm_population_finish), CRM_STATUS_NO_MEMORY (into unchanged). O(c)
 * amortised for c customers in part. */
CRM_API crm_status crm_population_merge(crm_population *into, const crm_population *part, crm_error *err);

/* Score one partition's summary against a finished population. The result
 * copies what it needs: summary and population may be freed afterwards.
 * Errors: CRM_STATUS_INVALID_ARGUMENT, CRM_STATUS_STATE (population not finished),
 * CRM_STATUS_MISMATCH (summary not added to this population: no summary with
 * its content, compared by fingerprint, was added, here or to a population
 * saved and loaded with crm_population_save/_load), CRM_STATUS_NO_MEMORY.
 * O(c log C). */
CRM_API crm_status crm_score(const crm_population *population, const crm_summary *summary, crm_result **out,
                             crm_error *err);

/* ---------------------------------------------------------------------------
 * Population summary, read without scanning rows.
 * ------------------------------------------------------------------------- */

/* Customers and net revenue (sum of monetary) of one group: rows whose
 * enumeration column equals value (segment, value_tier, contribution_band,
 * tenure_band, value_class, lifecycle_stage, previous_stage, risk_level,
 * health_band), or, for CRM_COLUMN_CHURN_FLAGS, rows carrying the flag
 * value (a crm_flag position, not a bit mask). Either output may be NULL. Errors: CRM_STATUS_INVALID_ARGUMENT
 * (NULL result, a column that is not groupable), CRM_STATUS_NOT_FOUND (column absent). O(1). */
CRM_API crm_status crm_result_group(const crm_result *result, int column, int64_t value, int64_t *customers,
                                    double *revenue, crm_error *err);

/* Population figures of the result's rows (DOMAIN section 9 for complaints).
 * A result of crm_score covers its own partition: for figures over the
 * whole base, use crm_analyze or combine the partitions' rows. */
typedef enum crm_metric {
    CRM_METRIC_CUSTOMERS = 0,                /* rows */
    CRM_METRIC_SCORED_CUSTOMERS = 1,         /* rows with a purchase day */
    CRM_METRIC_REVENUE = 2,                  /* sum of monetary */
    CRM_METRIC_COMPLAINTS = 3,               /* complaints opened within the lookback */
    CRM_METRIC_OPEN_COMPLAINTS = 4,          /* complaints without resolution, any age */
    CRM_METRIC_SLA_BREACHES = 5,             /* complaints of the lookback breaching an SLA */
    CRM_METRIC_RESPONSE_WITHIN_SLA = 6,      /* share answered within SLA */
    CRM_METRIC_RESOLVED_WITHIN = 7,          /* share resolved within resolution_seconds */
    CRM_METRIC_FOLLOWED_UP_WITHIN = 8,       /* share followed up within follow_up_seconds */
    CRM_METRIC_MEDIAN_RESPONSE_HOURS = 9,    /* median first-response time, hours */
    CRM_METRIC_RECOVERY_RATE = 10,           /* customers buying again after their latest resolution */
    CRM_METRIC_TOP20_PROFIT_SHARE = 11,      /* profit of the top fifth of customers by profit / all profit */
    CRM_METRIC_UNPROFITABLE_LOSS_SHARE = 12, /* -(sum of losses) / sum of positive profits */
    CRM_METRIC_MIX_VALUE = 13,               /* the pooled 7:2:1 shares of purposed outbound contacts */
    CRM_METRIC_MIX_RELATIONSHIP = 14,
    CRM_METRIC_MIX_ACTION = 15,
    CRM_METRIC_MIX_DISTANCE = 16
} crm_metric;
/* Names: "customers", "recovery_rate", ...; count through CRM_ENUM_METRIC. */

/* The whale curve (docs/DEFINITIONS.md section 12): customers with a profit
 * ranked from the most profitable (ties by id), point i = (i / n, cumulative
 * profit of the first i / total profit), i = 0..n. Copies up to capacity
 * points into the two arrays (either may be NULL with capacity 0) and sets
 * *n to n + 1. Errors: CRM_STATUS_INVALID_ARGUMENT, CRM_STATUS_NOT_FOUND
 * (no profit: the analysis had no cost column). O(rows log rows). */
CRM_API crm_status crm_result_whale_curve(const crm_result *result, double *customer_share,
                                          double *profit_share, size_t capacity, size_t *n, crm_error *err);

/* Value of a population figure; NaN when undefined (a share with an empty
 * base) or for a NULL result or unknown metric. O(1). */
CRM_API double crm_result_metric(const crm_result *result, int metric);

/* ---------------------------------------------------------------------------
 * Customer-value models (DOMAIN section 10): BG/NBD, MBG/NBD, Pareto/NBD for
 * the purchase process, Gamma-Gamma for spend per purchase day. Time is in
 * the caller's unit (the summaries' unit); parameters are the literature's.
 *
 * BG/BB (CRM_MODEL_KIND_BGBB; Fader, Hardie & Shang 2010) is the purchase
 * model of discrete time: at each of n transaction opportunities after the
 * first transaction a customer who is still alive transacts with probability
 * p ~ beta(alpha, beta), and becomes inactive for good at the start of an
 * opportunity with probability theta ~ beta(gamma, delta). Its rows are
 * (x, t_x, n) in crm_model_data's x, t_x and T: x the opportunities with a
 * transaction, t_x the last of them (0 when x = 0), n the opportunities;
 * t_x and n must be whole numbers, x <= t_x <= n and n at most
 * CRM_MODEL_OPPORTUNITIES_MAX (else CRM_STATUS_BAD_RECORD naming the row). Time is counted in opportunities.
 * It is fitted with crm_model_fit on such rows (the analysis's model option,
 * for continuous-time purchase days, does not offer it). For BG/BB the
 * functions below mean: crm_model_p_alive P(alive at opportunity n + 1 |
 * x, t_x, n) (FHS 2010 eq. 11, BTYD's bgbb.PAlive); crm_model_expected_purchases
 * E[X(n, n + t) | x, t_x, n], the transactions in the next t opportunities
 * (eq. 13; a non-integer t takes the Gamma-function form's value);
 * crm_model_expected_purchases_new E[X(t)] (eq. 9); crm_model_prob_purchases
 * and crm_model_prob_purchases_conditional need a whole t of at most
 * CRM_MODEL_OPPORTUNITIES_MAX (CRM_STATUS_INVALID_ARGUMENT otherwise) and
 * cost O(t) per value;
 * the matrices need a whole T and tx_values (cells with x > t_x are NaN);
 * crm_model_alive_path, crm_model_dert and crm_model_clv_dert fail with
 * CRM_STATUS_INVALID_ARGUMENT (they are continuous-time). crm_model_clv
 * treats one opportunity as the configuration's time unit. The likelihood
 * costs O(n - t_x) per distinct row; the fit uses finite-difference
 * gradients.
 * ------------------------------------------------------------------------- */
typedef struct crm_model crm_model;

/* Strided view of customer summaries (strides in bytes, 0 = element size).
 * x: repeat purchase days; t_x: time from first to last purchase; T: time
 * from first purchase to the end of observation (t_x and T in the caller's
 * time unit); spend: mean spend per repeat purchase day (Gamma-Gamma; may be
 * NULL for purchase models); weight: how many customers the row stands for
 * (NULL = 1 each). Start from crm_model_data_init(), which sets struct_size. */
typedef struct crm_model_data {
    size_t struct_size; /* the caller's sizeof(crm_model_data): set by crm_model_data_init */
    size_t count;
    const double *x;
    size_t x_stride;
    const double *t_x;
    size_t t_x_stride;
    const double *T;
    size_t T_stride;
    const double *spend;
    size_t spend_stride;
    const double *weight;
    size_t weight_stride;
} crm_model_data;

/* An empty view: every member 0 or NULL, struct_size set to the caller's
 * size (a macro, like the input views' constructors). O(1). Errors:
 * CRM_STATUS_INVALID_ARGUMENT when data is NULL or struct_size is smaller
 * than the 0.2 layout. */
CRM_API crm_status crm_model_data_init_sized(crm_model_data *data, size_t struct_size, crm_error *err);
#define crm_model_data_init(data, err) crm_model_data_init_sized((data), sizeof *(data), (err))

/* The largest x a model row may have: counts beyond it are refused as bad
 * records (no customer buys on ten million separate occasions, and the
 * likelihoods lose their precision beyond). */
#define CRM_MODEL_X_MAX 1e7
/* The most transaction opportunities a BG/BB row or probability horizon may
 * span: its likelihood and probabilities cost O(n) per row (a hundred
 * thousand opportunities are 270 years of days). */
#define CRM_MODEL_OPPORTUNITIES_MAX 1e5

/* Fit kind to data by maximum likelihood (identical rows are compressed
 * into weights first). Reads max_iterations, max_evaluations, fit_seconds,
 * tolerance, l2_penalty and (Gamma-Gamma) spend_q_constraint from config
 * (NULL: defaults), and reports to its progress callback.
 *
 * The objective is the mean negative log-likelihood per customer plus
 * l2_penalty * sum_i (log param_i)^2: a ridge on the log parameters that
 * pulls every parameter towards 1 in the data's time unit, with a strength
 * that does not depend on the number of customers (unlike lifetimes'
 * penalizer, which pulls the parameters themselves towards 0). The reported
 * log-likelihood is the unpenalised total. Converged means
 * max |d objective / d log param| <= tolerance * max(1, |objective|).
 *
 * Where the likelihood rises towards a limit of the model rather than a
 * finite maximum, the fit follows it until the gradient vanishes and says
 * so (crm_model_limits): Pareto/NBD's s and beta growing together is the
 * limit of one drop-out rate s/beta for every customer, BG/NBD's a and b
 * growing together one drop-out probability a/(a+b), r and alpha growing
 * together one purchase rate r/alpha. A shape above 1e4 (a spread of the
 * rates below 1%, BTYD's bound) counts as the limit; the parameters then
 * give the limit's figures and their standard errors are NaN.
 *
 * Gamma-Gamma uses the rows with x > 0. On success or
 * CRM_STATUS_NOT_CONVERGED *out owns the model (crm_model_free); parameters
 * are never NaN, and a fit stopped by a budget holds the best point reached.
 * Errors: CRM_STATUS_INVALID_ARGUMENT (NULL, unknown kind, a required column
 * missing), CRM_STATUS_BAD_RECORD (a row with negative, non-finite or
 * inconsistent values: x not integral or above CRM_MODEL_X_MAX, t_x > T,
 * x = 0 with t_x > 0, spend <= 0 where x > 0; for BG/BB also t_x or T not
 * whole, T above CRM_MODEL_OPPORTUNITIES_MAX, or x > t_x; err names the row),
 * CRM_STATUS_NO_DATA (no row with weight > 0), CRM_STATUS_NOT_IDENTIFIED (the
 * rows cannot identify the parameters: fewer customers, by weight, than
 * parameters + 1; for the purchase models no repeat purchase, or every T = 0;
 * for Gamma-Gamma one distinct (x, spend) row; the message says which; no
 * model), CRM_STATUS_NOT_CONVERGED (iterations, evaluations or seconds
 * exhausted), CRM_STATUS_CANCELLED (no model), CRM_STATUS_NO_MEMORY.
 * O(u * evaluations) for u distinct rows; every fit stops within
 * max_evaluations likelihood evaluations. */
CRM_API crm_status crm_model_fit(const crm_config *config, int kind, const crm_model_data *data,
                                 crm_model **out, crm_error *err);

/* The parameters of a model kind (a crm_model_kind), in the order every
 * function below uses: BG/NBD and MBG/NBD r, alpha, a, b; Pareto/NBD r,
 * alpha, s, beta; Gamma-Gamma p, q, gamma; BG/BB alpha, beta, gamma, delta. Count 0 and name NULL for an
 * unknown kind or an out-of-range i. Borrowed (static). O(1). */
CRM_API size_t crm_model_param_count(int kind);
CRM_API const char *crm_model_param_name(int kind, size_t i);

/* A model with known parameters (in the order of crm_model_param_name),
 * e.g. published values. Errors: CRM_STATUS_INVALID_ARGUMENT (wrong count, a
 * parameter not finite and positive), CRM_STATUS_NO_MEMORY. O(1). */
CRM_API crm_status crm_model_from_params(const crm_config *config, int kind, const double *params, size_t n,
                                         crm_model **out, crm_error *err);

CRM_API void crm_model_free(crm_model *model);

/* Model facts. kind: crm_model_kind (0 for NULL). Parameters in the order
 * of crm_model_param_name(kind, i); out-of-range i gives NaN. stderr: from
 * the inverse Hessian of the log-likelihood, NaN if not available. loglik:
 * total log-likelihood on the data's scale (the full density for
 * Gamma-Gamma). All O(1). */
CRM_API int crm_model_kind_of(const crm_model *model);
CRM_API double crm_model_param(const crm_model *model, size_t i);
CRM_API double crm_model_stderr(const crm_model *model, size_t i);
CRM_API double crm_model_loglik(const crm_model *model);
CRM_API int crm_model_converged(const crm_model *model);
CRM_API int64_t crm_model_iterations(const crm_model *model);

/* Limits of a model that a fit reached (crm_model_fit): bit positions of
 * the set crm_model_limits() returns. */
typedef enum crm_limit {
    CRM_LIMIT_COMMON_PURCHASE_RATE = 0, /* r > 1e4: every customer buys at rate r/alpha
                                           (BG/BB: alpha + beta > 1e4, one p) */
    CRM_LIMIT_COMMON_DROPOUT = 1,       /* Pareto/NBD s > 1e4: drop-out rate s/beta for all;
                                           BG/NBD, MBG/NBD a + b > 1e4: probability a/(a+b);
                                           BG/BB gamma + delta > 1e4 */
    CRM_LIMIT_NO_DROPOUT = 2            /* drop-out all but impossible: Pareto/NBD s/beta, or
                                           BG/NBD a/(a+b) (BG/BB gamma/(gamma+delta)), below
                                           1e-6 per time unit or purchase */
} crm_limit;
/* Names: "common_purchase_rate", "common_dropout", "no_dropout". */
#define CRM_LIMIT_BIT(limit) ((uint32_t)1 << (limit))

/* The set of limits the model's parameters are at (0 for none, for NULL
 * and for models from crm_model_from_params). O(1). */
CRM_API uint32_t crm_model_limits(const crm_model *model);

/* The status of the fit that made the model: CRM_STATUS_OK,
 * CRM_STATUS_NOT_CONVERGED, or, for the models of an analysis whose data
 * could not be fitted (crm_result_model), CRM_STATUS_NOT_IDENTIFIED or
 * CRM_STATUS_NUMERIC, when every parameter is NaN. CRM_STATUS_INVALID_ARGUMENT
 * for NULL. O(1). */
CRM_API int crm_model_status(const crm_model *model);

/* What the fit has to say, in English: why it did not converge or could
 * not be fitted, the limit it reached, or why a Gamma-Gamma model has no
 * mean spend (q <= 1). "" when there is nothing to say; "" for NULL.
 * Borrowed from the model. O(1). */
CRM_API const char *crm_model_message(const crm_model *model);

/* Per-row predictions, written to out[0..data->count-1] (caller-owned).
 * p_alive: P(alive | x, t_x, T). expected_purchases: E[X(T, T + t) | x, t_x,
 * T]. expected_spend (Gamma-Gamma model): E[spend | x, spend], the population
 * mean for x = 0; NaN where the mean does not exist (q <= 1 for x = 0,
 * p x + q <= 1 otherwise). Errors: CRM_STATUS_INVALID_ARGUMENT (NULL, a model of the wrong
 * kind, missing column), CRM_STATUS_BAD_RECORD (invalid row; err names it).
 * O(count). */
CRM_API crm_status crm_model_p_alive(const crm_model *model, const crm_model_data *data, double *out,
                                     crm_error *err);
CRM_API crm_status crm_model_expected_purchases(const crm_model *model, double t, const crm_model_data *data,
                                                double *out, crm_error *err);
CRM_API crm_status crm_model_expected_spend(const crm_model *model, const crm_model_data *data, double *out,
                                            crm_error *err);

/* Unconditional figures for a new customer: E[X(t)] and P(X(t) = n).
 * Errors: CRM_STATUS_INVALID_ARGUMENT (NULL, negative t or n, Gamma-Gamma model).
 * O(1) and O(n). */
CRM_API crm_status crm_model_expected_purchases_new(const crm_model *model, double t, double *out,
                                                    crm_error *err);
CRM_API crm_status crm_model_prob_purchases(const crm_model *model, double t, int64_t n, double *out,
                                            crm_error *err);

/* Customer lifetime value, with the convention of the analysis's clv column
 * and its options in config (NULL: defaults): the data's time unit is
 * time_unit_days days; the horizon is horizon_days days in monthly steps
 * (steps = round(horizon_days / 30.4375), at least 1, t_i = i * horizon /
 * steps); discount_rate is yearly; margin scales the result:
 *   clv = margin * E[spend] * sum_i (E[X(t_i)] - E[X(t_{i-1})]) / (1 + rate)^(t_i in years).
 * E[spend]: spend_model's conditional mean E[spend | x, spend] when
 * spend_model is given (its population mean for rows with x = 0 or without a
 * spend column; where that mean does not exist, q <= 1, the row's clv is
 * NaN), else the row's spend column, which must then be present,
 * finite and >= 0 (a customer whose net spend is not positive has spend 0).
 * Errors: CRM_STATUS_INVALID_ARGUMENT (NULL, wrong kinds, a missing spend
 * column), CRM_STATUS_BAD_OPTION (config fails validation), CRM_STATUS_BAD_RECORD
 * (invalid row; err names it). O(count * steps). */
CRM_API crm_status crm_model_clv(const crm_model *purchase_model, const crm_model *spend_model,
                                 const crm_config *config, const crm_model_data *data, double *out,
                                 crm_error *err);

/* The log-likelihood of data at the model's parameters (fitted, or given
 * with crm_model_from_params): per row into out[0..data->count-1] when out
 * is not NULL (caller-owned; the row's own log-likelihood, not weighted),
 * and the weighted total into *total when total is not NULL (rows of weight
 * 0 left out). The formulas are the fit's, so the total of the data a model
 * was fitted on is its crm_model_loglik. Gamma-Gamma reads x and spend;
 * rows with x = 0 contribute 0 (the fit leaves them out). Values may be
 * -infinity for rows the parameters make impossible. Errors:
 * CRM_STATUS_INVALID_ARGUMENT (NULL model, missing column),
 * CRM_STATUS_BAD_RECORD (invalid row, as crm_model_fit; err names it),
 * CRM_STATUS_NOT_IDENTIFIED (a model that was not fitted), CRM_STATUS_NUMERIC
 * (a row's value is NaN). O(count). */
CRM_API crm_status crm_model_loglik_rows(const crm_model *model, const crm_model_data *data, double *out,
                                         double *total, crm_error *err);

/* Conditional probability of exactly n purchases in the next t time units,
 * P(X(T, T + t) = n | x, t_x, T), per row into out[0..data->count-1]
 * (caller-owned): P(alive) times the probability of n purchases in t of the
 * customers alive at T (the posterior population: BG/NBD and MBG/NBD
 * lambda ~ gamma(r + x, alpha + T), p ~ beta(a, b + x (+ 1 for MBG/NBD));
 * Pareto/NBD lambda ~ gamma(r + x, alpha + T), mu ~ gamma(s, beta + T)),
 * plus 1 - P(alive) for n = 0. Sums to 1 over n, and the mean over n is
 * crm_model_expected_purchases. Errors: CRM_STATUS_INVALID_ARGUMENT (NULL,
 * Gamma-Gamma model, negative t or n, missing column), CRM_STATUS_BAD_RECORD
 * (invalid row; err names it). O(count * n). */
CRM_API crm_status crm_model_prob_purchases_conditional(const crm_model *model, double t, int64_t n,
                                                        const crm_model_data *data, double *out,
                                                        crm_error *err);

/* P(alive) and E[X(T, T + t) | x, t_x, T] over a grid of frequency and
 * recency at one T (lifetimes' conditional_probability_alive_matrix and
 * frequency/recency matrix): out[i * ntx + j] (caller-owned, nx * ntx
 * doubles) for x = x_values[i], t_x = tx_values[j]. Cells that cannot occur
 * (x = 0 with t_x > 0) are NaN. Errors: CRM_STATUS_INVALID_ARGUMENT (NULL,
 * Gamma-Gamma model, T or t negative or not finite, an x that is not a whole
 * number in [0, CRM_MODEL_X_MAX], a t_x outside [0, T]), CRM_STATUS_NUMERIC.
 * O(nx * ntx). */
CRM_API crm_status crm_model_p_alive_matrix(const crm_model *model, double T, const double *x_values,
                                            size_t nx, const double *tx_values, size_t ntx, double *out,
                                            crm_error *err);
CRM_API crm_status crm_model_expected_purchases_matrix(const crm_model *model, double t, double T,
                                                       const double *x_values, size_t nx,
                                                       const double *tx_values, size_t ntx, double *out,
                                                       crm_error *err);

/* Tracking over calendar time (lifetimes' expected_cumulative_transactions,
 * BTYD's bgnbd.ExpectedCumulativeTransactions): out[j] (caller-owned,
 * n_times doubles) = sum over customers i with birth[i] < times[j] of
 * E[X(times[j] - birth[i])], the expected repeat transactions of the
 * population by times[j] (crm_model_expected_purchases_new of each
 * customer's age). birth[i] is customer i's first transaction and times[j]
 * a point in calendar time, both in the model's time unit from one common
 * origin (any order; BG/BB: in opportunities, a non-integer age taking the
 * Gamma-function form's value). Customers born at or after times[j] add 0.
 * Differences of consecutive out values are the expected transactions per
 * period, to set against the actual ones. Errors:
 * CRM_STATUS_INVALID_ARGUMENT (NULL with a count > 0, Gamma-Gamma model, a
 * birth or time not finite), CRM_STATUS_NOT_IDENTIFIED (model not fitted),
 * CRM_STATUS_NUMERIC. O(n_customers * n_times) expectations. */
CRM_API crm_status crm_model_expected_cumulative(const crm_model *model, const double *birth,
                                                 size_t n_customers, const double *times, size_t n_times,
                                                 double *out, crm_error *err);

/* One customer's P(alive) over time (lifetimes' calculate_alive_path):
 * times[0..n-1] are the customer's purchase times in the model's time unit,
 * ascending, times[0] the first purchase (equal times count as one
 * purchase). out[k] (caller-owned, points doubles) is P(alive) at
 * times[0] + k * step, given the purchases up to then: x the later distinct
 * purchase times up to that point, t_x the last of them less times[0], T =
 * k * step. Errors: CRM_STATUS_INVALID_ARGUMENT (NULL, n = 0, Gamma-Gamma
 * model, step not finite and > 0, times not finite or not ascending),
 * CRM_STATUS_NUMERIC. O(n + points). */
CRM_API crm_status crm_model_alive_path(const crm_model *model, const double *times, size_t n, double step,
                                        size_t points, double *out, crm_error *err);

/* Confidence intervals of the parameters at level (e.g. 0.95) from the
 * standard errors (crm_model_stderr), into lower[i] and upper[i] for the
 * crm_model_param_count parameters (caller-owned). log_scale = 0: the
 * natural scale, param -/+ z se (may go below 0); log_scale != 0: the log
 * scale the fit works on, param * exp(-/+ z se / param) (the delta method;
 * always positive). z is the standard normal quantile of (1 + level) / 2.
 * NaN where the standard error is NaN. Errors: CRM_STATUS_INVALID_ARGUMENT
 * (NULL, level not in (0, 1)). O(parameters). */
CRM_API crm_status crm_model_confint(const crm_model *model, double level, int log_scale, double *lower,
                                     double *upper, crm_error *err);

/* Information criteria of a fitted model: AIC = 2 k - 2 loglik and
 * BIC = k log(n) - 2 loglik, k the parameter count and n the customers (the
 * total weight) the model was fitted on (Gamma-Gamma: the rows with x > 0).
 * NaN for NULL and for models not fitted (crm_model_from_params). O(1). */
CRM_API double crm_model_aic(const crm_model *model);
CRM_API double crm_model_bic(const crm_model *model);

/* The Gamma-Gamma independence check: the Pearson correlation of x and
 * spend over the rows with x > 0 (weighted by the weight column, when there
 * is one). Gamma-Gamma assumes spend per purchase does not depend on how
 * often a customer buys; a correlation far from 0 says the assumption does
 * not hold. NaN when x or spend does not vary. Errors:
 * CRM_STATUS_INVALID_ARGUMENT (NULL, missing column), CRM_STATUS_BAD_RECORD
 * (invalid row), CRM_STATUS_NO_DATA (no row with x > 0 and weight > 0).
 * O(count). */
CRM_API crm_status crm_model_spend_correlation(const crm_model_data *data, double *out, crm_error *err);

/* Discounted expected residual transactions of a Pareto/NBD model (Fader,
 * Hardie & Lee 2005b, "RFM and CLV", eq. 2), per row into
 * out[0..data->count-1] (caller-owned): the expected purchases after T over
 * the customer's whole remaining lifetime, each discounted by e^(-delta u)
 * at u time units after T; delta is the continuous discount rate per time
 * unit (log(1 + d) for a rate d per unit). Computed as P(alive)
 * (r+x)/(alpha+T) E[1/(delta+mu)], mu ~ gamma(s, beta+T), the expectation
 * by quadrature (the paper's confluent hypergeometric U). Errors:
 * CRM_STATUS_INVALID_ARGUMENT (NULL, not a Pareto/NBD model, delta not
 * finite and > 0, missing column), CRM_STATUS_BAD_RECORD (invalid row).
 * O(count). */
CRM_API crm_status crm_model_dert(const crm_model *model, double delta, const crm_model_data *data,
                                  double *out, crm_error *err);

/* CLV on DERT: margin * E[spend] * DERT with delta = log(1 + rate), rate
 * the yearly discount_rate of config (NULL: defaults) per time unit of
 * time_unit_days days, over the whole lifetime (horizon_days is not read).
 * E[spend] as crm_model_clv. Errors: as crm_model_clv, and
 * CRM_STATUS_INVALID_ARGUMENT for a purchase model that is not Pareto/NBD,
 * CRM_STATUS_BAD_OPTION for a discount_rate of 0 (an infinite sum).
 * O(count). */
CRM_API crm_status crm_model_clv_dert(const crm_model *purchase_model, const crm_model *spend_model,
                                      const crm_config *config, const crm_model_data *data, double *out,
                                      crm_error *err);

/* Days per time unit of the data the model was fitted on, when known: the
 * analysis's time_unit_days for the models of a result (crm_result_model),
 * NaN for models from crm_model_fit and crm_model_from_params (the caller
 * knows their data's unit). Kept by crm_model_save. O(1). */
CRM_API double crm_model_time_unit_days(const crm_model *model);

/* Saving and loading a model. crm_model_save writes the model (kind,
 * parameters, standard errors, log-likelihood, customers fitted on, fit
 * status, convergence, iterations, limits, message, time unit) in a
 * versioned, checksummed byte format that does not depend on the machine
 * (little-endian, a CRC-32 over the whole; the layout is described in
 * src/models/serialize.c). *size always receives the size needed (under
 * 400 bytes); with buffer NULL or capacity too small nothing is written and
 * the call fails with CRM_STATUS_SHORT_BUFFER, so a first call with (NULL,
 * 0) asks for the size. crm_model_load makes a new model (*out,
 * owned: crm_model_free; allocator from config, NULL: defaults) from exactly
 * size bytes, reading none beyond them. Errors of load:
 * CRM_STATUS_INVALID_ARGUMENT (NULL), CRM_STATUS_CORRUPT (not a saved
 * model, truncated, trailing bytes, checksum mismatch, inconsistent fields:
 * the message says which), CRM_STATUS_VERSION (a newer format version than
 * this library reads), CRM_STATUS_NO_MEMORY. O(size). Statuses shared with
 * the nightly state's format. */
CRM_API crm_status crm_model_save(const crm_model *model, void *buffer, size_t capacity, size_t *size,
                                  crm_error *err);
CRM_API crm_status crm_model_load(const crm_config *config, const void *buffer, size_t size, crm_model **out,
                                  crm_error *err);

/* Use a fitted model instead of fitting one: analyses, populations and
 * nightly states made with config take model's parameters for its kind (the
 * purchase model chosen by the option `model`, or Gamma-Gamma with
 * `spend_model`) and skip that fit, so a model fitted weekly can value
 * customers every night. The configuration keeps a copy (model may be freed
 * afterwards; crm_config_clone and the handles made from config copy it);
 * model NULL forgets the model given for kind. The result's model
 * (crm_result_model) is then the given one. At analysis time its time unit
 * must equal the option time_unit_days (else CRM_STATUS_MISMATCH); a model
 * fitted with crm_model_fit on the caller's own rows has no known unit and
 * is taken to be in the analysis's.
 * Errors: CRM_STATUS_INVALID_ARGUMENT (config NULL, kind not bgnbd, mbgnbd,
 * pareto_nbd or gamma_gamma, or not model's kind), CRM_STATUS_NOT_FOUND
 * (model has no parameters: a fit that failed), CRM_STATUS_NO_MEMORY. O(1). */
CRM_API crm_status crm_config_set_model(crm_config *config, int kind, const crm_model *model, crm_error *err);

/* The fitted model of a result (when the analysis enabled it): kind is a
 * crm_model_kind. Borrowed; NULL when the analysis did not enable it or had
 * no purchase day (or, for Gamma-Gamma, no repeat customer with a positive
 * spend) to fit it on. When the data could not identify the model the
 * analysis still succeeds: the model is there with every parameter NaN,
 * crm_model_status() CRM_STATUS_NOT_IDENTIFIED and crm_model_message()
 * saying why, and its columns are NaN. O(1). */
CRM_API const crm_model *crm_result_model(const crm_result *result, int kind);

/* Calibration/holdout split. Both ends are whole days: calibration_end and
 * holdout_end (times, seconds) stand for the end of their days in the
 * day_offset calendar. Summarises the transactions up to the calibration day
 * into x, t_x, T, repeat_spend (time unit from config's time_unit_days, T
 * measured to the calibration day) and counts each customer's purchase days
 * in (calibration day, holdout day] as holdout_purchases, their net amount
 * there (monetary at the holdout day less monetary at the calibration day)
 * as holdout_spend, and the holdout's length in time units (holdout day
 * less calibration day, over time_unit_days; the same for every row) as
 * holdout_duration. Only customers with
 * a purchase by the calibration day are rows. Validation as crm_analyze over
 * the records up to the holdout day (later ones are counted as after_as_of;
 * under strict validation they fail the call). Errors: as crm_analyze, and
 * CRM_STATUS_INVALID_ARGUMENT when a time is out of range or holdout_end <
 * calibration_end. O(n log n). */
CRM_API crm_status crm_calibration_split(const crm_config *config, const crm_transactions *transactions,
                                         int64_t calibration_end, int64_t holdout_end, crm_result **out,
                                         crm_error *err);

/* ---------------------------------------------------------------------------
 * Nightly state: add each day's records to a stored state instead of
 * analysing years of history again (README "Nightly state").
 *
 * A crm_state_handle keeps every accepted record, compactly and grouped by
 * customer, and the account of every record given. crm_state_result gives
 * exactly the table crm_analyze gives over all the records added so far
 * (bit for bit, every column, the record account of transactions and
 * interactions included), because most facts (medians of purchase gaps,
 * windows that move with the as-of day, complaint chains) need the history
 * itself: no smaller summary is exact for every as-of day. What is kept per
 * customer: each accepted transaction (day, amount; cost and discount once
 * any batch had those columns), each interaction that passed its own checks
 * (time, kind, value, reference, purpose; complaint events are linked to
 * their complaints when a result is made, so a chain may be completed by a
 * later batch), and the latest attributes record.
 *
 * The state is named crm_state_handle because crm_state is the customer-state
 * enumeration (CRM_STATE_*).
 * ------------------------------------------------------------------------- */
typedef struct crm_state_handle crm_state_handle;

/* An empty state for config (NULL: defaults; deep-copied, so config may be
 * freed afterwards; its allocator is used for everything the state holds).
 * The options day_offset and survey_scale_max decide how records are stored
 * and validated and are fixed for the state's life; every other option only
 * shapes results. On success *out owns the state (crm_state_free). Errors:
 * CRM_STATUS_INVALID_ARGUMENT (out NULL), CRM_STATUS_BAD_OPTION,
 * CRM_STATUS_NO_MEMORY. O(1). */
CRM_API crm_status crm_state_create(const crm_config *config, crm_state_handle **out, crm_error *err);

/* Add a batch: any of the three views may be NULL (all NULL: nothing to
 * add). Records may come in any order and in any batch: late records older
 * than the latest seen, returns, and complaint events whose complaint came
 * (or comes) in another batch are all placed where one analysis over
 * everything would place them. Each record is validated on its own as
 * crm_analyze validates it (the reasons of crm_fate; strict validation fails
 * the call with CRM_STATUS_BAD_RECORD and leaves the state unchanged), and
 * counted. A batch without a cost column stores its costs as not known
 * (NaN), one without a discount column as 0: the state equals an analysis
 * of the batches' records joined with those fills. Customer attributes: the
 * latest record given for a customer replaces the earlier one (within a
 * batch the last one in the view's order), which is counted under
 * CRM_FATE_REPLACED, so that accepted + the other fates = total still holds;
 * one that fails its own checks (a day out of range, an undefined code) is
 * rejected, counted and replaces nothing. The views are read during the call only. On failure the state is
 * unchanged. Errors: CRM_STATUS_INVALID_ARGUMENT (state NULL, a view with
 * struct_size 0 or a missing column, more than 2^32 - 1 transactions once
 * cost or discount are kept), CRM_STATUS_BAD_RECORD (strict),
 * CRM_STATUS_NO_MEMORY. O(b log b + N) for a batch of b records and N kept
 * records (the kept arrays are merged in place). */
CRM_API crm_status crm_state_add(crm_state_handle *state, const crm_transactions *transactions,
                                 const crm_interactions *interactions, const crm_customers *customers,
                                 crm_error *err);

/* The analysis of every record added so far at as_of (seconds), or with
 * as_of INT64_MIN the analysis's default (the as_of option of the state's
 * configuration when set, else the last second of the day of the latest
 * accepted transaction, or interaction when there is none). The table is
 * crm_analyze's over all records added (attributes: the latest per
 * customer) with that as_of, bit for bit, model columns included: the
 * models are fitted again on every call, as crm_analyze fits them, unless
 * the state keeps a fit (crm_state_fit), whose parameters then value the
 * customers as models given with crm_config_set_model would. The record
 * account: transactions and interactions as crm_analyze's; customers count
 * every attributes record given, accepted ones being the kept records that
 * pass the as-of checks. as_of must not be earlier than the latest record
 * kept (transactions and interactions, by time). On success *out owns the
 * result. Errors: CRM_STATUS_INVALID_ARGUMENT (NULL), CRM_STATUS_STATE
 * (as_of earlier than the latest record), CRM_STATUS_NO_DATA (no record
 * accepted), CRM_STATUS_BAD_RECORD (strict validation and a complaint event
 * without its complaint), CRM_STATUS_MISMATCH (the kept fit lacks a model
 * the configuration enables, or has another time unit), CRM_STATUS_BAD_RULES,
 * CRM_STATUS_NO_MEMORY.
 * O(N + c log c) time for N kept records and c customers, O(N + c) memory:
 * the records are already validated and sorted. */
CRM_API crm_status crm_state_result(const crm_state_handle *state, int64_t as_of, crm_result **out,
                                    crm_error *err);

/* Write the state into buffer as bytes the caller stores where it likes (a
 * file, a database BLOB): the 8 bytes "CRMSTATE", format version (u32: 1,
 * or 2 when the state keeps a fit), flags (u32, 0), payload length (u64),
 * FNV-1a 64 checksum of the payload (u64), then the payload, little-endian
 * whatever the machine: customer ids and days delta-coded as varints,
 * amounts as 8-byte doubles, then (version 2) the kept models as
 * crm_model_save bytes (README "Nightly state" gives the layout and sizes). *size always receives the
 * size needed; buffer NULL with capacity 0 asks for it only. Errors:
 * CRM_STATUS_INVALID_ARGUMENT (state or size NULL, buffer NULL with capacity
 * > 0), CRM_STATUS_SHORT_BUFFER (capacity < *size; nothing written). O(N). */
CRM_API crm_status crm_state_save(const crm_state_handle *state, void *buffer, size_t capacity, size_t *size,
                                  crm_error *err);

/* Read a state written by crm_state_save, for config (NULL: defaults; the
 * state takes its options and allocator, as crm_state_create). Every byte is
 * checked and nothing past bytes + size is read, the kept models too (each
 * must load as crm_model_load loads it and be a usable fit of the kind it
 * is stored under). A kept fit that does not serve config's models loads
 * (crm_state_models tells: CRM_MODELS_SOURCE_MISMATCH); its results fail
 * until it is fitted again or forgotten. Errors:
 * CRM_STATUS_INVALID_ARGUMENT (NULL), CRM_STATUS_CORRUPT (wrong magic,
 * truncated, a length or checksum that does not match, or content that is
 * not a valid state: records out of order or out of range),
 * CRM_STATUS_VERSION (written by a newer format version, or a kept model
 * in a newer model format),
 * CRM_STATUS_MISMATCH (day_offset or survey_scale_max of config differ from
 * the stored state's), CRM_STATUS_BAD_OPTION, CRM_STATUS_NO_MEMORY. O(size). */
CRM_API crm_status crm_state_load(const crm_config *config, const void *bytes, size_t size,
                                  crm_state_handle **out, crm_error *err);

/* Free a state. NULL is a no-op. O(1). */
CRM_API void crm_state_free(crm_state_handle *state);

/* Customers with a kept record (any input), and kept records of an input
 * (crm_input: transactions, interactions given their own checks, attribute
 * records); 0 for NULL or an unknown input. O(N) and O(1). */
CRM_API size_t crm_state_customers(const crm_state_handle *state);
CRM_API int64_t crm_state_records(const crm_state_handle *state, int input);

/* The latest time among the kept transactions and interactions (the
 * earliest as_of crm_state_result accepts); INT64_MIN when none or NULL. O(1). */
CRM_API int64_t crm_state_latest(const crm_state_handle *state);

/* Where the models of a state's results come from (crm_state_models). */
typedef enum crm_models_source {
    CRM_MODELS_SOURCE_NONE = 0,    /* the configuration enables no model (options model, spend_model) */
    CRM_MODELS_SOURCE_REFIT = 1,   /* fitted again by every crm_state_result, as crm_analyze fits them
                                      (the default) */
    CRM_MODELS_SOURCE_KEPT = 2,    /* the parameters of the last crm_state_fit, kept in the state and
                                      saved with it */
    CRM_MODELS_SOURCE_GIVEN = 3,   /* every enabled model given in the configuration
                                      (crm_config_set_model) */
    CRM_MODELS_SOURCE_MISMATCH = 4 /* a kept fit that does not serve the enabled models (another
                                      model, an added spend model, another time_unit_days: a
                                      state loaded with another configuration than the fit's):
                                      results fail with CRM_STATUS_MISMATCH until crm_state_fit
                                      or crm_state_forget_fit */
} crm_models_source;
/* Names: "none", "refit", "kept", "given", "mismatch". */

/* Fit the models the state's configuration enables and does not give (the
 * purchase model of the option model, Gamma-Gamma with spend_model) on every
 * record kept, at as_of (INT64_MIN: crm_state_result's default), and keep
 * their parameters: later results value the customers with them and fit
 * nothing, until the next crm_state_fit or crm_state_forget_fit. The fit is
 * saved with the state (format version 2) and loaded back; under a
 * configuration the kept fit does not serve (crm_state_models gives
 * CRM_MODELS_SOURCE_MISMATCH) crm_state_result fails with
 * CRM_STATUS_MISMATCH. A fit is crm_analyze's fit of the same records at
 * that as_of (the parameters a refitting crm_state_result at as_of gives).
 * Returns CRM_STATUS_NOT_CONVERGED, with the fit kept all the same (as
 * crm_model_fit hands out such a model), when a fit reached its budget
 * (options max_iterations, max_evaluations, fit_seconds) before converging.
 * On any other failure the state is unchanged, a fit kept before included.
 * Errors: CRM_STATUS_INVALID_ARGUMENT (NULL), CRM_STATUS_STATE (no model to
 * fit: none enabled or all given; or as_of earlier than the latest record),
 * CRM_STATUS_NO_DATA (no record, or no purchase to fit on),
 * CRM_STATUS_NOT_IDENTIFIED or CRM_STATUS_NUMERIC (the data cannot fit a
 * model: the message says which and why), the errors of crm_state_result.
 * Cost: one crm_state_result that fits. */
CRM_API crm_status crm_state_fit(crm_state_handle *state, int64_t as_of, crm_error *err);

/* Have the state's results and fits report to fn, as analyses made with a
 * configuration given crm_config_set_progress do (phases summarize,
 * population, score between the stages, fit at every likelihood
 * evaluation); a non-zero return stops the call with CRM_STATUS_CANCELLED
 * and the state unchanged. fn NULL: no callback. The state keeps its own
 * copy of its configuration, so a callback set on that configuration after
 * crm_state_create or crm_state_load does not reach it; this does. Errors:
 * CRM_STATUS_INVALID_ARGUMENT (state NULL). O(1). */
CRM_API crm_status crm_state_set_progress(crm_state_handle *state, crm_progress_fn fn, void *opaque,
                                          crm_error *err);

/* Forget the kept fit: every later result fits the models again. NULL or a
 * state without a kept fit: a no-op. O(1). */
CRM_API void crm_state_forget_fit(crm_state_handle *state);

/* Which models the state's results use (a crm_models_source: KEPT,
 * MISMATCH or REFIT when the configuration enables a model it does not
 * give, else GIVEN or NONE), and in *fitted_at (may be NULL) the as_of time
 * the kept fit was made at, or INT64_MIN when none is kept (a kept fit
 * stays in the state, and is saved, under a configuration that enables no
 * model). NULL state: CRM_MODELS_SOURCE_NONE. O(1). */
CRM_API int crm_state_models(const crm_state_handle *state, int64_t *fitted_at);

#ifdef __cplusplus
}
#endif

#endif /* CRM_CRMKIT_H */
