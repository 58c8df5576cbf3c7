// The one way a page runs what it asks of the platform and shows what went wrong: no page
// catches an error only to drop it, and none writes its own line turning an error into text.
import { computed, ref } from "vue";

import { ApiError } from "@/api/client";

/** An error as a page shows it: the problem's Chinese text for the platform's, else its own. */
export function problemText(error: unknown): string {
  return error instanceof ApiError ? error.text : String(error);
}

/** field → message of an API error's field problems (none for any other error). */
export function fieldProblems(error: unknown): Record<string, string> {
  return error instanceof ApiError ? error.fieldMessages() : {};
}

/**
 * `attempt(work)` runs `work` with `busy` set and puts what went wrong in `problem` (and the
 * fields' messages in `fieldErrors`); it answers whether the work succeeded. `handled` lets a
 * page take a problem it expects (a year without targets) and say it dealt with it. A form
 * shows `formErrors`: its fields' messages, and under `_` the refusal as a whole.
 */
export function useAttempt() {
  const problem = ref("");
  const fieldErrors = ref<Record<string, string>>({});
  const busy = ref(false);
  const formErrors = computed<Record<string, string>>(() => ({
    _: problem.value,
    ...fieldErrors.value,
  }));

  function clear(): void {
    problem.value = "";
    fieldErrors.value = {};
  }

  async function attempt(
    work: () => Promise<unknown>,
    handled: (error: unknown) => boolean = () => false,
  ): Promise<boolean> {
    busy.value = true;
    clear();
    try {
      await work();
      return true;
    } catch (error) {
      if (!handled(error)) {
        problem.value = problemText(error);
        fieldErrors.value = fieldProblems(error);
      }
      return false;
    } finally {
      busy.value = false;
    }
  }

  return { problem, fieldErrors, formErrors, busy, attempt, clear };
}
