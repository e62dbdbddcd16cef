/** The error `f` throws, to assert on its code and message; fails when it throws nothing. */
export function thrown(f: () => unknown): { code?: string; message: string } {
  try {
    f();
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('expected an error');
}
