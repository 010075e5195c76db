import { expect, it } from "vitest";

it("passes", () => expect(2).toBe(2));
it("fails", () => expect(2).toBe(3));
