import { beforeAll, describe, expect, it } from "vitest";

describe("needs a server", () => {
  beforeAll(() => {
    throw new Error("the server did not start\nsecond line of the message");
  });
  it("one", () => expect(true).toBe(true));
  it("two", () => expect(true).toBe(true));
  it("three", () => expect(true).toBe(true));
  describe("nested", () => {
    it("four", () => expect(true).toBe(true));
  });
});
