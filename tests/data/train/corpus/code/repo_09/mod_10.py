# Write a python function to count the number of rectangles in a circle of radius r.
def count_Rectangles(radius):  
    rectangles = 0 
    diameter = 2 * radius 
    diameterSquare = diameter * diameter 
    for a in range(1, 2 * radius):  
        for b in range(1, 2 * radius): 
            diagnalLengthSquare = (a * a +  b * b)  
            if (diagnalLengthSquare <= diameterSquare) : 
                rectangles += 1
    return rectangles


# Write a function to find the third angle of a triangle using two angles.
def find_angle(a,b):
 c = 180 - (a + b)
 return c


# Write a function to find the maximum element of all the given tuple records.
def find_max(test_list):
  res = max(int(j) for i in test_list for j in i)
  return (res)
