// The building form's draft: what the registration and edit dialogs hold, typed from the API's
// generated types so that a field added to the building model reaches the form's draft without
// being named here, or fails to compile where it cannot.
import type { components } from "@/api/client";

type ListKey = components["schemas"]["ListKey"];
// The form's fields are the API's BuildingCreate (less the optional id): a field added to the
// building model reaches here through the generated types, and every draft made without it
// fails to compile instead of dropping it. The district is set only where the form may set it.
type BuildingCreate = components["schemas"]["BuildingCreate"];
export type BuildingDraft = Omit<BuildingCreate, "id" | "district_id" | "lists"> & {
  district_id?: string;
  lists: ListKey[];
};
type Building = components["schemas"]["BuildingPublic"];
type BuildingUpdate = components["schemas"]["BuildingUpdate"];
// What a building shows that no form changes: everything else of it is a field the form edits.
type Shown = "id" | "district_id" | "retired" | "featured_industries" | "created_at" | "updated_at";
// A key the building shows, that is not listed above and that the update does not take, fails
// to compile here (the edit form would send it back and be refused).
const everyKeyLeftIsEditable: Record<Exclude<keyof Omit<Building, Shown>, keyof BuildingUpdate>, never> = {};
void everyKeyLeftIsEditable;

// A new building's form, as it opens.
export function newDraft(districtId?: string): BuildingDraft {
  return { name: "", district_id: districtId, address: "", gross_floor_area_m2: 10000, status: "operating", location: null, lists: [] };
}

// The edit form of a building: its fields as they stand, none named here.
export function draftOf(building: Building): BuildingDraft {
  const { id: _id, district_id: _district, retired: _retired, featured_industries: _industries, created_at: _created, updated_at: _updated, ...fields } = building;
  return { ...fields, lists: [...fields.lists] };
}
