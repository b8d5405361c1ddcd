#!/usr/bin/env python3
"""Generate python/crmkit/_ffi.py (ctypes declarations) from include/crmkit.h.

The header is the contract; this script turns it into ctypes declarations so
the binding never restates a signature by hand:

  1. run the header through the C preprocessor
     (``cc -E -std=c99 -P -nostdinc``) with stub <stddef.h>/<stdint.h> that
     only declare the standard typedef names, and with ``__attribute__(x)``
     defined to nothing so that CRM_API expands to nothing;
  2. parse the result with pycparser;
  3. emit each enumeration once, as an IntEnum class named after its C type
     (``crm_status.CRM_STATUS_OK``) whose members are also module constants
     (``CRM_STATUS_OK``), then struct classes, type aliases and the table of
     exported functions (name, restype, parameters);
  4. a small pass over the raw header adds what the preprocessor removes:
     the object-like #define macros and the set of names marked CRM_API
     (checked against the parsed functions). A macro whose body is a plain
     numeric literal (CRM_TIME_MIN, CRM_AMOUNT_MAX, CRM_VERSION_MAJOR, ...)
     is exported as that literal, nothing evaluated; one whose body is an
     expression of such macros (CRM_VERSION_NUMBER) is expanded by the C
     preprocessor in the same run and folded like an enumerator value.
     Function-like macros (CRM_FLAG_BIT) are listed in a comment, not bound.

The header's naming rule is checked: every constant of an enumeration type
crm_<name> is spelled CRM_<NAME>_<VALUE>.

Comments are not read: what a result column holds (day numbers, booleans,
...), every count and every name come from the library at run time
(crm_column_unit, crm_enum_count, crm_enum_name).

Usage:
  python3 python/tools/gen_bindings.py            # write python/crmkit/_ffi.py
  python3 python/tools/gen_bindings.py --check    # exit 1 if it differs
  options: --header PATH, --output PATH, --cc COMPILER (default: $CC or cc)

Needs pycparser (Debian: python3-pycparser) and a C compiler; the generated
module itself needs only the standard library.
"""

import argparse
import difflib
import os
import re
import shlex
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON_DIR = os.path.dirname(HERE)
REPO = os.path.dirname(PYTHON_DIR)
DEFAULT_HEADER = os.path.join(REPO, "include", "crmkit.h")
DEFAULT_OUTPUT = os.path.join(PYTHON_DIR, "crmkit", "_ffi.py")
GENERATOR = "python/tools/gen_bindings.py"

# Standard typedef names and their ctypes spelling. The stub headers declare
# each as a typedef so the parser knows them; the generator never resolves
# them, it maps the name.
STD_TYPES = {
    "int8_t": "ctypes.c_int8",
    "uint8_t": "ctypes.c_uint8",
    "int16_t": "ctypes.c_int16",
    "uint16_t": "ctypes.c_uint16",
    "int32_t": "ctypes.c_int32",
    "uint32_t": "ctypes.c_uint32",
    "int64_t": "ctypes.c_int64",
    "uint64_t": "ctypes.c_uint64",
    "intptr_t": "ctypes.c_ssize_t",
    "uintptr_t": "ctypes.c_size_t",
    "size_t": "ctypes.c_size_t",
    "ptrdiff_t": "ctypes.c_ssize_t",
    "wchar_t": "ctypes.c_wchar",
    "_Bool": "ctypes.c_bool",
}

# Builtin C type specifier lists (sorted) -> ctypes.
BUILTIN_TYPES = {
    ("void",): None,
    ("char",): "ctypes.c_char",
    ("char", "signed"): "ctypes.c_byte",
    ("char", "unsigned"): "ctypes.c_ubyte",
    ("short",): "ctypes.c_short",
    ("int", "short"): "ctypes.c_short",
    ("short", "unsigned"): "ctypes.c_ushort",
    ("int", "short", "unsigned"): "ctypes.c_ushort",
    ("int",): "ctypes.c_int",
    ("signed",): "ctypes.c_int",
    ("int", "signed"): "ctypes.c_int",
    ("unsigned",): "ctypes.c_uint",
    ("int", "unsigned"): "ctypes.c_uint",
    ("long",): "ctypes.c_long",
    ("int", "long"): "ctypes.c_long",
    ("long", "unsigned"): "ctypes.c_ulong",
    ("int", "long", "unsigned"): "ctypes.c_ulong",
    ("long", "long"): "ctypes.c_longlong",
    ("int", "long", "long"): "ctypes.c_longlong",
    ("long", "long", "unsigned"): "ctypes.c_ulonglong",
    ("int", "long", "long", "unsigned"): "ctypes.c_ulonglong",
    ("float",): "ctypes.c_float",
    ("double",): "ctypes.c_double",
    ("_Bool",): "ctypes.c_bool",
}


class GenError(Exception):
    pass


# ---------------------------------------------------------------------------
# Preprocessing
# ---------------------------------------------------------------------------

def stub_headers():
    stddef = ["typedef unsigned long size_t;", "typedef long ptrdiff_t;", "typedef int wchar_t;",
              "#define NULL ((void *)0)"]
    stdint = ["typedef int %s;" % name for name in sorted(STD_TYPES)
              if name not in ("size_t", "ptrdiff_t", "wchar_t", "_Bool")]
    return {
        "stddef.h": "\n".join(stddef) + "\n",
        "stdint.h": "\n".join(stdint) + "\n",
        "stdbool.h": "#define bool _Bool\n#define true 1\n#define false 0\n",
    }


def preprocess(header, cc, trailer=""):
    """The header (and trailer, C text appended after it) through the C
    preprocessor with the stub standard headers."""
    with tempfile.TemporaryDirectory(prefix="crm_gen_") as stub_dir:
        for name, text in stub_headers().items():
            with open(os.path.join(stub_dir, name), "w") as f:
                f.write(text)
        source = os.path.join(stub_dir, "crm_gen_input.c")
        with open(source, "w") as f:
            f.write('#include "%s"\n%s' % (os.path.abspath(header).replace("\\", "/"), trailer))
        cmd = shlex.split(cc) + ["-E", "-std=c99", "-P", "-nostdinc", "-I", stub_dir,
                                 "-D__attribute__(x)=", "-D__extension__=", source]
        try:
            proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  universal_newlines=True)
        except OSError as exc:
            raise GenError("cannot run the C preprocessor %r: %s (set --cc or $CC)" % (cc, exc))
        if proc.returncode != 0:
            raise GenError("the preprocessor failed (%s):\n%s" % (" ".join(cmd), proc.stderr))
        return proc.stdout


# ---------------------------------------------------------------------------
# Constant expressions (enumerator values; macros that are not literals,
# after the preprocessor has expanded them)
# ---------------------------------------------------------------------------

def c_int_literal(text):
    t = text.rstrip("uUlL")
    if t.lower().startswith("0x"):
        return int(t, 16)
    if t.lower().startswith("0b"):
        return int(t, 2)
    if len(t) > 1 and t.startswith("0"):
        return int(t, 8)
    return int(t)


def c_div(a, b):
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def c_mod(a, b):
    return a - b * c_div(a, b)


BINOPS = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": c_div,
    "%": c_mod,
    "<<": lambda a, b: a << b,
    ">>": lambda a, b: a >> b,
    "|": lambda a, b: a | b,
    "&": lambda a, b: a & b,
    "^": lambda a, b: a ^ b,
}


def eval_c_ast(node, names):
    """Evaluate a pycparser integer constant expression."""
    from pycparser import c_ast
    if isinstance(node, c_ast.Constant):
        if not node.type.endswith("int"):
            raise GenError("not an integer constant: %s" % node.value)
        return c_int_literal(node.value)
    if isinstance(node, c_ast.ID):
        if node.name not in names:
            raise GenError("unknown name in constant expression: %s" % node.name)
        return names[node.name]
    if isinstance(node, c_ast.UnaryOp):
        v = eval_c_ast(node.expr, names)
        if node.op == "-":
            return -v
        if node.op == "+":
            return v
        if node.op == "~":
            return ~v
        if node.op == "!":
            return int(not v)
        raise GenError("unsupported unary operator %s" % node.op)
    if isinstance(node, c_ast.BinaryOp):
        if node.op not in BINOPS:
            raise GenError("unsupported operator %s" % node.op)
        return BINOPS[node.op](eval_c_ast(node.left, names), eval_c_ast(node.right, names))
    if isinstance(node, c_ast.Cast):
        return eval_c_ast(node.expr, names)
    raise GenError("unsupported constant expression node %s" % type(node).__name__)


# ---------------------------------------------------------------------------
# Raw header passes (what the preprocessor removes)
# ---------------------------------------------------------------------------

# Object-like macros only: the name must not be followed by "(" (\b stops the
# name from backtracking into a shorter one).
DEFINE_RE = re.compile(r"^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)\b(?!\()[ \t]*(.*?)[ \t]*$", re.M)
FUNCTION_MACRO_RE = re.compile(r"^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)\(([^)]*)\)", re.M)
API_RE = re.compile(r"\bCRM_API\b[^;{]*?\b([A-Za-z_]\w*)\s*\(", re.S)

# A plain numeric literal, optionally negative and in parentheses:
# 0, 2932896, (-719162), 253402300799LL, (-62135596800LL), 0x1F, 1e15, 0.5f.
INT_LITERAL_RE = re.compile(r"^(\(\s*)?(-\s*)?((?:0[xX][0-9a-fA-F]+|\d+)[uUlL]*)(?(1)\s*\))$")
FLOAT_LITERAL_RE = re.compile(r"^(\(\s*)?(-\s*)?((?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?)[fFlL]?(?(1)\s*\))$")
# What an integer constant expression of other macros may contain.
EXPRESSION_RE = re.compile(r"^[\w\s()+\-*/%<>|&^~]+$")


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def literal_value(body):
    """(value, Python text) of a plain numeric literal, or None. Nothing is
    evaluated: the digits are read as they are written."""
    m = INT_LITERAL_RE.match(body)
    if m:
        value = c_int_literal(m.group(3))
        value = -value if m.group(2) else value
        return value, str(value)
    m = FLOAT_LITERAL_RE.match(body)
    if m and re.search(r"[.eE]", m.group(3)):
        text = ("-" if m.group(2) else "") + m.group(3)
        if text.startswith(".") or text.startswith("-."):
            text = text.replace(".", "0.", 1)
        value = float(text)
        return value, text
    return None


def header_macros(raw):
    """Object-like macros of the header, in header order: a list of
    [name, body, literal] where literal is (value, text) for a plain numeric
    literal and None for an expression (resolved later). Macros defined more
    than once (in #if branches) and ones that are not numeric are left out."""
    code = strip_comments(raw)
    bodies = {}
    order = []
    for m in DEFINE_RE.finditer(code):
        name, body = m.group(1), m.group(2)
        if name not in bodies:
            order.append(name)
            bodies[name] = set()
        bodies[name].add(body)
    out = []
    for name in order:
        if len(bodies[name]) != 1:
            continue  # CRM_API and the like: one definition per platform
        body = bodies[name].pop()
        literal = literal_value(body)
        if literal is not None:
            out.append([name, body, literal])
        elif body and EXPRESSION_RE.match(body):
            out.append([name, body, None])
    return out


def expression_trailer(macros):
    """C text that makes the preprocessor expand the macros that are
    expressions: one enumeration whose values are the macros."""
    exprs = [name for name, body, literal in macros if literal is None]
    if not exprs:
        return ""
    items = ",\n".join("    crm__gen_%s = (%s)" % (name, name) for name in exprs)
    return "enum crm__gen_macros {\n%s\n};\n" % items


def function_macros(raw):
    """Names and parameters of the function-like macros (not bound)."""
    out = []
    for m in FUNCTION_MACRO_RE.finditer(strip_comments(raw)):
        params = " ".join(m.group(2).replace("\\", " ").split())  # a parameter list may span lines
        out.append((m.group(1), params))
    return out


def header_api_names(raw):
    """Names declared with CRM_API (preprocessor lines, where CRM_API is
    defined, removed first)."""
    code = re.sub(r"^[ \t]*#(?:[^\n]*\\\n)*[^\n]*", "", strip_comments(raw), flags=re.M)
    return API_RE.findall(code)


# ---------------------------------------------------------------------------
# AST -> ctypes
# ---------------------------------------------------------------------------

class Model(object):
    def __init__(self):
        self.constants = []      # (name, value)
        self.enums = []          # (typedef name or None, [(name, value)])
        self.structs = []        # (name, fields or None, kind)   kind: "struct"/"union"
        self.aliases = []        # (name, ctypes expr)
        self.functions = []      # (name, restype expr, [(param, expr)])
        self.typedef_kinds = {}  # typedef name -> "enum" | "struct" | "alias"
        self.struct_tags = {}    # struct tag -> python class name


def type_expr(node, model, where):
    """ctypes expression (string) for a pycparser type node; None for void."""
    from pycparser import c_ast
    if isinstance(node, c_ast.TypeDecl):
        return type_expr(node.type, model, where)
    if isinstance(node, c_ast.IdentifierType):
        names = node.names
        if len(names) == 1 and names[0] in STD_TYPES:
            return STD_TYPES[names[0]]
        if len(names) == 1 and model.typedef_kinds.get(names[0]) == "enum":
            return "ctypes.c_int"  # the type's name is its IntEnum class, not a ctypes type
        if len(names) == 1 and names[0] in model.typedef_kinds:
            return names[0]
        key = tuple(sorted(names))
        if key in BUILTIN_TYPES:
            return BUILTIN_TYPES[key]
        raise GenError("%s: unknown type %s" % (where, " ".join(names)))
    if isinstance(node, c_ast.Enum):
        return "ctypes.c_int"
    if isinstance(node, (c_ast.Struct, c_ast.Union)):
        if node.name in model.struct_tags:
            return model.struct_tags[node.name]
        raise GenError("%s: unknown struct %s" % (where, node.name))
    if isinstance(node, c_ast.PtrDecl):
        target = node.type
        if isinstance(target, c_ast.FuncDecl):
            return funcptr_expr(target, model, where)
        if isinstance(target, c_ast.TypeDecl) and isinstance(target.type, c_ast.IdentifierType):
            names = tuple(sorted(target.type.names))
            if names == ("char",):
                return "ctypes.c_char_p"
            if names == ("void",):
                return "ctypes.c_void_p"
            if names == ("wchar_t",):
                return "ctypes.c_wchar_p"
        inner = type_expr(target, model, where)
        if inner is None:
            return "ctypes.c_void_p"
        return "ctypes.POINTER(%s)" % inner
    if isinstance(node, c_ast.ArrayDecl):
        inner = type_expr(node.type, model, where)
        if node.dim is None:
            return "ctypes.POINTER(%s)" % inner
        names = dict(model.constants)
        return "(%s * %d)" % (inner, eval_c_ast(node.dim, names))
    if isinstance(node, c_ast.FuncDecl):
        return funcptr_expr(node, model, where)
    raise GenError("%s: unsupported type node %s" % (where, type(node).__name__))


def params_of(funcdecl, model, where):
    from pycparser import c_ast
    out = []
    if funcdecl.args is None:
        return out
    for i, p in enumerate(funcdecl.args.params):
        if isinstance(p, c_ast.EllipsisParam):
            raise GenError("%s: variadic functions cannot be bound" % where)
        if isinstance(p, c_ast.Typename) or isinstance(p, c_ast.Decl):
            t = p.type
            if (isinstance(t, c_ast.TypeDecl) and isinstance(t.type, c_ast.IdentifierType)
                    and t.type.names == ["void"]):
                continue  # (void)
            name = getattr(p, "name", None) or "arg%d" % i
            expr = type_expr(t, model, "%s(%s)" % (where, name))
            out.append((name, expr))
        else:
            raise GenError("%s: unsupported parameter %s" % (where, type(p).__name__))
    return out


def funcptr_expr(funcdecl, model, where):
    res = type_expr(funcdecl.type, model, where)
    args = [e for _, e in params_of(funcdecl, model, where)]
    return "ctypes.CFUNCTYPE(%s)" % ", ".join([res or "None"] + args)


def enum_items(enum_node, model, type_name=None):
    """[(constant, value)] of an enumeration. For a named enumeration type
    crm_<name> every constant must be CRM_<NAME>_<VALUE> (the header's
    naming rule)."""
    items = []
    names = dict(model.constants)
    prefix = None
    if type_name and type_name.startswith("crm_"):
        prefix = "CRM_%s_" % type_name[len("crm_"):].upper()
    nxt = 0
    for e in enum_node.values.enumerators:
        if prefix and not e.name.startswith(prefix):
            raise GenError("enum %s: constant %s breaks the naming rule (expected %s<VALUE>)"
                           % (type_name, e.name, prefix))
        value = eval_c_ast(e.value, names) if e.value is not None else nxt
        names[e.name] = value
        model.constants.append((e.name, value))
        items.append((e.name, value))
        nxt = value + 1
    return items


def build_model(tree):
    from pycparser import c_ast
    model = Model()
    # First pass: every struct tag / typedef name, so forward references work.
    for ext in tree.ext:
        if isinstance(ext, c_ast.Typedef):
            if ext.name in STD_TYPES:
                continue
            t = ext.type.type if isinstance(ext.type, c_ast.TypeDecl) else None
            if isinstance(t, (c_ast.Struct, c_ast.Union)):
                model.typedef_kinds[ext.name] = "struct"
                if t.name:
                    model.struct_tags[t.name] = ext.name
                else:
                    model.struct_tags[ext.name] = ext.name
            elif isinstance(t, c_ast.Enum):
                model.typedef_kinds[ext.name] = "enum"
            else:
                model.typedef_kinds[ext.name] = "alias"
        elif isinstance(ext, c_ast.Decl) and isinstance(ext.type, (c_ast.Struct, c_ast.Union)):
            if ext.type.name and ext.type.name not in model.struct_tags:
                model.struct_tags[ext.type.name] = ext.type.name

    struct_fields = {}
    for ext in tree.ext:
        if isinstance(ext, c_ast.Typedef):
            if ext.name in STD_TYPES:
                continue
            t = ext.type.type if isinstance(ext.type, c_ast.TypeDecl) else None
            if isinstance(t, c_ast.Enum):
                model.enums.append((ext.name, enum_items(t, model, ext.name) if t.values else []))
            elif isinstance(t, (c_ast.Struct, c_ast.Union)):
                struct_fields[ext.name] = t
                model.structs.append([ext.name, None, "union" if isinstance(t, c_ast.Union) else "struct"])
            else:
                model.aliases.append((ext.name, type_expr(ext.type, model, ext.name)))
        elif isinstance(ext, c_ast.Decl):
            t = ext.type
            if isinstance(t, c_ast.FuncDecl):
                res = type_expr(t.type, model, ext.name)
                model.functions.append((ext.name, res, params_of(t, model, ext.name)))
            elif isinstance(t, c_ast.Enum):
                model.enums.append((t.name, enum_items(t, model, t.name) if t.values else []))
            elif isinstance(t, (c_ast.Struct, c_ast.Union)):
                if t.decls is not None:
                    struct_fields[t.name] = t
                    model.structs.append([t.name, None,
                                          "union" if isinstance(t, c_ast.Union) else "struct"])
            else:
                raise GenError("unsupported declaration %s (a variable in the header?)" % ext.name)
        else:
            raise GenError("unsupported top-level node %s" % type(ext).__name__)

    for entry in model.structs:
        node = struct_fields[entry[0]]
        if node.decls is None:
            entry[1] = None  # opaque
            continue
        fields = []
        for d in node.decls:
            if d.bitsize is not None:
                raise GenError("%s.%s: bit-fields cannot be bound" % (entry[0], d.name))
            if d.name is None:
                raise GenError("%s: anonymous members cannot be bound" % entry[0])
            fields.append((d.name, type_expr(d.type, model, "%s.%s" % (entry[0], d.name))))
        entry[1] = fields
    return model


# ---------------------------------------------------------------------------
# Emission
# ---------------------------------------------------------------------------

def render(model, macros, fmacros, header_rel):
    L = []
    w = L.append
    w("# GENERATED FILE - DO NOT EDIT.")
    w("# Generated by %s from %s; regenerate with" % (GENERATOR, header_rel))
    w("#   python3 %s" % GENERATOR)
    w("# and check with `python3 %s --check` (run by the test suite)." % GENERATOR)
    w('"""ctypes declarations of the crmkit C API, generated from the public header."""')
    w("")
    w("import ctypes")
    w("import enum")
    w("")
    w("# ---- macros (#define) ----")
    w("# Plain numeric literals as the header writes them; a macro that is an")
    w("# expression of them was expanded by the C preprocessor and folded (its text")
    w("# follows as a comment).")
    values = {}
    for name, body, value, text in macros:
        values[name] = value
        if text is not None:
            w("%s = %s" % (name, text))
        else:
            w("%s = %d  # %s" % (name, value, body))
    if all(k in values for k in ("CRM_VERSION_MAJOR", "CRM_VERSION_MINOR", "CRM_VERSION_PATCH")):
        w('CRM_VERSION_STRING = "%d.%d.%d"' % (values["CRM_VERSION_MAJOR"], values["CRM_VERSION_MINOR"],
                                            values["CRM_VERSION_PATCH"]))
    if fmacros:
        w("# Function-like macros, not bound: %s" % ", ".join("%s(%s)" % fm for fm in fmacros))
    w("")
    w("# ---- enumerations ----")
    w("# Each enumeration type is an IntEnum class of its C name whose members carry")
    w("# the C constant names; every member is also a module constant, a plain int:")
    w("# crm_status.CRM_STATUS_OK == CRM_STATUS_OK == 0. Constants of an anonymous")
    w("# enumeration are module constants only. Counts and names of the values come")
    w("# from the library at run time (crm_enum_count, crm_enum_name).")
    named = []
    for name, items in model.enums:
        if not name:
            w("")
            w("# enum (anonymous)")
            for iname, value in items:
                w("%s = %d" % (iname, value))
            continue
        named.append(name)
        w("")
        w("")
        w("class %s(enum.IntEnum):" % name)
        w('    """enum %s"""' % name)
        for iname, value in items:
            w("    %s = %d" % (iname, value))
        if not items:
            w("    pass")
    w("")
    w("")
    w("# Every enumeration type, in header order.")
    w("ENUM_TYPES = (")
    for name in named:
        w("    %s," % name)
    w(")")
    w("# {enumeration type name: {constant name: value}}")
    w("ENUMS = {t.__name__: {k: int(v) for k, v in t.__members__.items()} for t in ENUM_TYPES}")
    w("globals().update((k, v) for members in ENUMS.values() for k, v in members.items())")
    w("")
    w("# ---- structures (opaque handles have no _fields_) ----")
    for name, fields, kind in model.structs:
        w("")
        w("")
        base = "ctypes.Union" if kind == "union" else "ctypes.Structure"
        w("class %s(%s):" % (name, base))
        w('    """%s %s%s"""' % (kind, name, " (opaque handle)" if fields is None else ""))
        if fields is None:
            w("    OPAQUE = True")
        else:
            w("    OPAQUE = False")
    if model.aliases:
        w("")
        w("")
        w("# ---- other typedefs ----")
        for name, expr in model.aliases:
            w("%s = %s" % (name, expr))
    w("")
    for name, fields, kind in model.structs:
        if fields is None:
            continue
        w("")
        w("%s._fields_ = [" % name)
        for fname, expr in fields:
            w("    (%r, %s)," % (fname, expr))
        w("]")
    w("")
    w("# ---- exported functions: (name, restype, ((parameter, argtype), ...)) ----")
    w("FUNCTIONS = (")
    for name, res, params in model.functions:
        if params:
            w("    (%r, %s, (" % (name, res or "None"))
            for pname, expr in params:
                w("        (%r, %s)," % (pname, expr))
            w("    )),")
        else:
            w("    (%r, %s, ())," % (name, res or "None"))
    w(")")
    w("")
    return "\n".join(L)


TRAILER_ENUM = "crm__gen_macros"


def generate(header, cc):
    try:
        from pycparser import c_ast, c_parser
    except ImportError:
        raise GenError("pycparser is not installed (Debian: apt-get install python3-pycparser)")
    with open(header) as f:
        raw = f.read()
    macros = header_macros(raw)
    text = preprocess(header, cc, expression_trailer(macros))
    try:
        tree = c_parser.CParser().parse(text, "crmkit.h")
    except Exception as exc:  # pycparser.ParseError, with line numbers of the preprocessed text
        raise GenError("pycparser could not parse the preprocessed header: %s" % exc)
    trailer = [ext for ext in tree.ext if isinstance(ext, c_ast.Decl) and isinstance(ext.type, c_ast.Enum)
               and ext.type.name == TRAILER_ENUM]
    tree.ext = [ext for ext in tree.ext if not any(ext is t for t in trailer)]
    model = build_model(tree)
    api = set(header_api_names(raw))
    funcs = set(f[0] for f in model.functions)
    if api != funcs:
        raise GenError("functions declared without CRM_API: %s; CRM_API names not parsed: %s"
                       % (sorted(funcs - api), sorted(api - funcs)))
    # The macros that are expressions, as the preprocessor expanded them.
    folded = {}
    names = dict(model.constants)
    for ext in trailer:
        for e in ext.type.values.enumerators:
            name = e.name[len("crm__gen_"):]
            try:
                folded[name] = eval_c_ast(e.value, names)
            except GenError:
                pass  # not an integer constant expression: not exported
    constants = set(names)
    out = []
    for name, body, literal in macros:
        if name in constants:
            raise GenError("%s is both a macro and an enumeration constant" % name)
        if literal is not None:
            out.append((name, body, literal[0], literal[1]))
        elif name in folded:
            out.append((name, body, folded[name], None))
    header_rel = os.path.relpath(os.path.abspath(header), REPO).replace(os.sep, "/")
    if header_rel.startswith(".."):
        header_rel = os.path.basename(header)
    return render(model, out, function_macros(raw), header_rel)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--header", default=DEFAULT_HEADER)
    ap.add_argument("--output", default=DEFAULT_OUTPUT)
    ap.add_argument("--cc", default=os.environ.get("CC") or "cc")
    ap.add_argument("--check", action="store_true",
                    help="regenerate in memory and exit 1 if the output file differs")
    args = ap.parse_args(argv)
    try:
        text = generate(args.header, args.cc)
    except GenError as exc:
        sys.stderr.write("gen_bindings: %s\n" % exc)
        return 2
    if args.check:
        try:
            with open(args.output) as f:
                current = f.read()
        except OSError as exc:
            sys.stderr.write("gen_bindings: cannot read %s: %s\n" % (args.output, exc))
            return 1
        if current != text:
            diff = difflib.unified_diff(current.splitlines(True), text.splitlines(True),
                                        "checked-in " + os.path.basename(args.output),
                                        "regenerated from the header")
            sys.stderr.writelines(list(diff)[:200])
            sys.stderr.write("\ngen_bindings: %s is out of date; run python3 %s\n" % (args.output, GENERATOR))
            return 1
        print("gen_bindings: %s is up to date" % args.output)
        return 0
    with open(args.output, "w") as f:
        f.write(text)
    print("gen_bindings: wrote %s" % args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
