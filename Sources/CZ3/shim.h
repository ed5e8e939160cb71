#ifndef SCMI_CHECK_CZ3_SHIM_H
#define SCMI_CHECK_CZ3_SHIM_H
#include <z3.h>
#endif
