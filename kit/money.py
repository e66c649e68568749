"""Money is whole Swedish kronor as integers: a float or a fraction is refused."""

from typing import Annotated

from pydantic import Field

# strict: JSON 1.5, 1.0 and "100" are all refused; only integer literals pass.
Sek = Annotated[int, Field(strict=True, ge=0, le=10**13, description="Whole SEK (kronor)")]
SignedSek = Annotated[int, Field(strict=True, ge=-(10**13), le=10**13)]
