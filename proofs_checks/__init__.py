"""Executable checks of the paper's statements (Lemma III.1 ... Theorem VI.1).

Each statement becomes a function from an instance to a certificate (issue 3).  This
package builds only on the public API of :mod:`reference`.
"""
